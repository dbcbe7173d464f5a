package io.custos.collector.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.alert.Ack;
import io.custos.collector.alert.AlertEngine;
import io.custos.collector.alert.AlertState;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.TokenOwner;
import io.custos.common.units.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Acknowledgements, operator token.
 *
 * <ul>
 *   <li>{@code POST /api/v1/acks} with {@code host}, {@code service} (default {@code Host Alive},
 *       the host itself), {@code author} (default {@code operator}), {@code comment}, {@code
 *       sticky} (default true), {@code expire} (or Icinga 2's name {@code expiry}: an absolute
 *       time, epoch ms or ISO-8601, or a duration from now such as {@code 4h}; default never): 201
 *       {@code {"id":N}}; 404 for an unknown service, 409 when it is OK, 400 naming any other field
 *       ({@code stick}, {@code end}, {@code duration}) or an expiry not in the future. A problem
 *       already acknowledged has its acknowledgement replaced (no second ACKNOWLEDGEMENT notice).
 *   <li>{@code POST /api/v1/acks} with {@code {"targets":[{"host":…,"service":…},…],"comment":…,
 *       "sticky":true}} (mass acknowledge, at most {@value #MAX_TARGETS} targets; {@code service}
 *       defaults as above): each target is acknowledged on its own; 201 {@code
 *       {"acknowledged":[{"id":N,"host":…,"service":…}],"errors":[{"host":…,"service":…,
 *       "status":404|409,"error":…}]}} when all succeeded, 200 with the errors when some did, the
 *       first error's status when none did.
 *   <li>{@code DELETE /api/v1/acks/{id}}: 200 {@code {"deleted":true}}, 404 if unknown.
 *   <li>{@code GET /api/v1/acks} (any reading token): the acknowledgements in force, newest first,
 *       {@code [{"id":N,"host":…,"service":…,"author":…,"comment":…,"sticky":true,"time":ms}]}
 *       (every field of the acknowledgement record), paged as the other lists ({@code limit},
 *       {@code offset}, {@code X-Total-Count}); {@code ?format=text} gives a table.
 * </ul>
 */
final class AcksHandler {
  static final int MAX_TARGETS = 10_000;

  private final AlertEngine engine;
  private final Clock clock;

  AcksHandler(AlertEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  Response create(Request request, TokenOwner caller) throws HttpError {
    JsonNode targets = targets(request);
    if (targets != null) {
      return createMany(request, targets, caller);
    }
    BodyFields f = BodyFields.parse(request, SINGLE);
    String host = f.require("host");
    String service = f.get("service") == null ? StatusBoard.HOST_ALIVE : f.get("service");
    String author = f.get("author") == null ? caller.role().id() : f.get("author");
    String comment = f.get("comment") == null ? "" : f.get("comment");
    boolean sticky = f.bool("sticky", true);
    long expires = expires(f.get("expire"), f.get("expiry"));
    long id;
    try {
      id = engine.acknowledge(host, service, author, comment, sticky, expires);
    } catch (NoSuchElementException e) {
      throw new HttpError(404, e.getMessage());
    } catch (IllegalStateException e) {
      throw new HttpError(409, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("host", host);
    body.put("service", service);
    body.put("author", author);
    body.put("comment", comment);
    body.put("sticky", sticky);
    if (expires > 0) {
      body.put("expire", expires);
      body.put("expire_iso", Instant.ofEpochMilli(expires).toString());
    }
    return Response.json(201, body);
  }

  /** The fields of a single acknowledgement. */
  private static final String[] SINGLE = {
    "host", "service", "author", "comment", "sticky", "expire", "expiry"
  };

  /** The top-level fields of a mass acknowledgement. */
  private static final String[] MANY = {
    "targets", "author", "comment", "sticky", "expire", "expiry"
  };

  /**
   * The expiry as epoch ms, 0 for none: an absolute time (epoch ms or ISO-8601) or a duration from
   * now ({@code 4h}).
   */
  private long expires(String expire, String expiry) throws HttpError {
    if (expire != null && expiry != null) {
      throw new HttpError(400, "expiry: give either expire or expiry, not both");
    }
    String field = expire != null ? "expire" : "expiry";
    String v = expire != null ? expire : expiry;
    if (v == null) {
      return 0;
    }
    if (v.chars().allMatch(Character::isDigit) || v.contains("T")) {
      return DowntimesHandler.time(field, v);
    }
    try {
      return clock.millis() + Durations.parse(v).toMillis();
    } catch (IllegalArgumentException e) {
      throw new HttpError(
          400,
          field
              + ": expected a time (epoch ms or ISO-8601 such as 2026-11-29T01:00:00Z) or a"
              + " duration such as 4h, got \""
              + v
              + "\"");
    }
  }

  /** The {@code targets} array of a JSON body, or null for a single acknowledgement. */
  private static JsonNode targets(Request request) throws HttpError {
    String text = new String(request.body(), StandardCharsets.UTF_8).strip();
    if (!text.startsWith("{") || !text.contains("\"targets\"")) {
      return null;
    }
    JsonNode node;
    try {
      node = Response.mapper().readTree(text);
    } catch (IOException e) {
      throw new HttpError(
          400, "body: not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    JsonNode t = node.get("targets");
    if (t == null) {
      return null;
    }
    for (var it = node.fieldNames(); it.hasNext(); ) {
      BodyFields.checkKnown(it.next(), MANY);
    }
    if (!t.isArray() || t.isEmpty()) {
      throw new HttpError(400, "targets: expected a non-empty array of {\"host\",\"service\"}");
    }
    if (t.size() > MAX_TARGETS) {
      throw new HttpError(400, "targets: at most " + MAX_TARGETS + " per request, got " + t.size());
    }
    for (int i = 0; i < t.size(); i++) {
      if (!t.get(i).isObject()) {
        throw new HttpError(400, "targets[" + i + "]: expected {\"host\",\"service\"}");
      }
      for (var it = t.get(i).fieldNames(); it.hasNext(); ) {
        String k = it.next();
        try {
          BodyFields.checkKnown(k, "host", "service");
        } catch (HttpError e) {
          throw new HttpError(400, "targets[" + i + "]." + e.getMessage());
        }
      }
      JsonNode h = t.get(i).get("host");
      if (h == null || !h.isTextual() || h.asText().isBlank()) {
        throw new HttpError(400, "targets[" + i + "].host: required");
      }
    }
    return node;
  }

  private Response createMany(Request request, JsonNode body, TokenOwner caller) throws HttpError {
    String author = text(body, "author", caller.role().id());
    String comment = text(body, "comment", "");
    JsonNode st = body.get("sticky");
    if (st != null && !st.isBoolean()) {
      throw new HttpError(400, "sticky: expected true|false, got " + st);
    }
    boolean sticky = st == null || st.asBoolean();
    long expires = expires(text(body, "expire", null), text(body, "expiry", null));
    ArrayNode done = Response.mapper().createArrayNode();
    ArrayNode errors = Response.mapper().createArrayNode();
    int firstError = 0;
    for (JsonNode t : body.get("targets")) {
      String host = t.get("host").asText();
      String service = text(t, "service", StatusBoard.HOST_ALIVE);
      int status;
      String error;
      try {
        long id = engine.acknowledge(host, service, author, comment, sticky, expires);
        done.addObject().put("id", id).put("host", host).put("service", service);
        continue;
      } catch (NoSuchElementException e) {
        status = 404;
        error = e.getMessage();
      } catch (IllegalStateException e) {
        status = 409;
        error = e.getMessage();
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, e.getMessage());
      }
      firstError = firstError == 0 ? status : firstError;
      errors
          .addObject()
          .put("host", host)
          .put("service", service)
          .put("status", status)
          .put("error", error);
    }
    ObjectNode out = Response.mapper().createObjectNode();
    out.set("acknowledged", done);
    out.set("errors", errors);
    int code = errors.isEmpty() ? 201 : done.isEmpty() ? firstError : 200;
    return Response.json(code, out);
  }

  private static String text(JsonNode node, String field, String dflt) throws HttpError {
    JsonNode v = node.get(field);
    if (v != null && v.isContainerNode()) {
      throw new HttpError(400, field + ": expected a single value, got " + v);
    }
    return v == null || v.isNull() || v.asText().isBlank() ? dflt : v.asText().strip();
  }

  Response list(Request request, TokenOwner caller) throws HttpError {
    Page page = Page.of(request);
    List<Map.Entry<String, Ack>> all = new ArrayList<>();
    for (Map.Entry<String, AlertState> e : engine.states().entrySet()) {
      if (e.getValue().ack() != null) {
        all.add(Map.entry(e.getKey(), e.getValue().ack()));
      }
    }
    all.sort(
        Comparator.comparingLong((Map.Entry<String, Ack> e) -> e.getValue().time())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    List<Map.Entry<String, Ack>> rows = page.slice(all);
    if (Formats.wantsText(request)) {
      TextTable t = new TextTable("Id", "Host", "Service", "Author", "Since", "Sticky", "Comment");
      for (Map.Entry<String, Ack> e : rows) {
        String[] hs = e.getKey().split("\0", 2);
        Ack a = e.getValue();
        t.add(
            Long.toString(a.id()),
            hs[0],
            hs[1],
            a.author(),
            Formats.localTime(a.time(), clock.getZone()),
            a.sticky() ? "yes" : "no",
            a.comment());
      }
      return page.headers(Response.text(200, t.render()), request, all.size());
    }
    ArrayNode out = Response.mapper().createArrayNode();
    for (Map.Entry<String, Ack> e : rows) {
      String[] hs = e.getKey().split("\0", 2);
      ObjectNode o = out.addObject();
      o.put("id", e.getValue().id());
      o.put("host", hs[0]);
      o.put("service", hs[1]);
      ObjectNode fields = Response.mapper().valueToTree(e.getValue());
      fields.remove("id");
      o.setAll(fields);
    }
    return page.headers(Response.json(200, out), request, all.size());
  }

  Response delete(Request request, TokenOwner caller) throws HttpError {
    long id = BodyFields.pathId(request);
    BodyFields.parse(request);
    if (!engine.unacknowledge(id, caller.role().id())) {
      throw new HttpError(404, "no acknowledgement " + id);
    }
    return Response.json(200, Map.of("deleted", true, "id", id));
  }
}
