package io.custos.collector.http;

import io.custos.collector.ingest.IngestGuard;
import io.custos.collector.store.HostRemoval;
import io.custos.collector.store.Store;
import io.custos.collector.store.TokenOwner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /api/v1/hosts/{host}[?history=true]}, admin token: removes a decommissioned host
 * with its services, alert states, acknowledgements, downtimes, pending notifications and node
 * tokens; with {@code history=true} also its metric series, events and report log (see {@link
 * Store#removeHost}). Answers 200 with what was deleted, 404 for an unknown host, 400 for a {@code
 * history} value other than true or false.
 */
final class HostRemovalHandler implements Handler {
  private static final Logger LOG = LoggerFactory.getLogger(HostRemovalHandler.class);
  private final Store store;
  private final IngestGuard guard;

  /** {@code guard} forgets the host's counted services and series, read again if it comes back. */
  HostRemovalHandler(Store store, IngestGuard guard) {
    this.store = store;
    this.guard = guard;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    String name = request.param("host");
    for (String q : request.queryNames()) {
      if (!q.equals("history")) {
        throw new HttpError(400, q + ": unknown parameter; expected history=true|false or none");
      }
    }
    BodyFields.parse(request);
    String h = request.query("history");
    if (h != null && !h.equals("true") && !h.equals("false")) {
      throw new HttpError(400, "history: expected true or false, got \"" + h + "\"");
    }
    boolean history = "true".equals(h);
    HostRemoval r =
        store
            .removeHost(name, history)
            .orElseThrow(() -> new HttpError(404, "no host \"" + name + "\""));
    guard.forget(name);
    LOG.info(
        "host {} removed by {} ({} service(s), {} token(s){})",
        name,
        caller.describe(),
        r.services(),
        r.tokens(),
        history ? ", with its history" : "");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("host", r.host());
    out.put("removed", true);
    out.put("history", history);
    out.put("services", r.services());
    out.put("tokens_revoked", r.tokens());
    out.put("series", r.series());
    out.put("events", r.events());
    out.put("reports", r.reports());
    return Response.json(200, out);
  }
}
