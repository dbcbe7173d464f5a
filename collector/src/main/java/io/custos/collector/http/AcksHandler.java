package io.custos.collector.http;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.store.TokenOwner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Acknowledgements, operator token.
 *
 * <ul>
 *   <li>{@code POST /api/v1/acks} with {@code host}, {@code service} (default {@code Host Alive},
 *       the host itself), {@code author} (default {@code operator}), {@code comment}, {@code
 *       sticky} (default true): 201 {@code {"id":N}}; 404 for an unknown service, 409 when it is
 *       OK.
 *   <li>{@code DELETE /api/v1/acks/{id}}: 200 {@code {"deleted":true}}, 404 if unknown.
 * </ul>
 */
final class AcksHandler {
  private final AlertEngine engine;

  AcksHandler(AlertEngine engine) {
    this.engine = engine;
  }

  Response create(Request request, TokenOwner caller) throws HttpError {
    BodyFields f = BodyFields.parse(request);
    String host = f.require("host");
    String service = f.get("service") == null ? AlertEngine.HOST_ALIVE : f.get("service");
    String author = f.get("author") == null ? caller.role().id() : f.get("author");
    String comment = f.get("comment") == null ? "" : f.get("comment");
    boolean sticky = f.bool("sticky", true);
    long id;
    try {
      id = engine.acknowledge(host, service, author, comment, sticky);
    } catch (NoSuchElementException e) {
      throw new HttpError(404, e.getMessage());
    } catch (IllegalStateException e) {
      throw new HttpError(409, e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("host", host);
    body.put("service", service);
    body.put("author", author);
    body.put("comment", comment);
    body.put("sticky", sticky);
    return Response.json(201, body);
  }

  Response delete(Request request, TokenOwner caller) throws HttpError {
    long id = BodyFields.pathId(request);
    if (!engine.unacknowledge(id, caller.role().id())) {
      throw new HttpError(404, "no acknowledgement " + id);
    }
    return Response.json(200, Map.of("deleted", true, "id", id));
  }
}
