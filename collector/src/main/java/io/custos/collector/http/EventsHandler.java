package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.Store;
import io.custos.collector.store.TokenOwner;
import java.util.List;

/**
 * {@code GET /api/v1/events?since=EPOCH_MS&host=NAME}, operator token: the event history, oldest
 * first — status changes ({@code kind: state}) and the alert engine's notes ({@code kind: alert}:
 * soft/hard, notifications sent, failed or suppressed and why, acknowledgements, flapping). {@code
 * since} defaults to 24 hours ago. {@code ?format=text} gives a table.
 */
final class EventsHandler {
  private static final long DAY_MS = 86_400_000L;

  private final Store store;
  private final StatusBoard board;

  EventsHandler(Store store, StatusBoard board) {
    this.store = store;
    this.board = board;
  }

  Response handle(Request request, TokenOwner caller) throws HttpError {
    long since;
    String s = request.query("since");
    try {
      since = s == null ? board.clock().millis() - DAY_MS : Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "since: expected epoch milliseconds, got \"" + s + "\"");
    }
    List<EventRecord> events = store.events(request.query("host"), since);
    if (Formats.wantsText(request)) {
      TextTable t = new TextTable("Time", "Host", "Service", "Kind", "Status", "Information");
      for (EventRecord e : events) {
        t.add(
            Formats.localTime(e.time(), board.clock().getZone()),
            e.host(),
            e.service(),
            e.kind(),
            (e.oldStatus() == null ? "" : e.oldStatus() + " -> ") + e.newStatus(),
            e.output());
      }
      return Response.text(200, t.render());
    }
    ArrayNode out = Response.mapper().createArrayNode();
    for (EventRecord e : events) {
      ObjectNode o = out.addObject();
      o.put("time", e.time());
      o.put("host", e.host());
      o.put("service", e.service());
      o.put("kind", e.kind());
      o.put("old_status", e.oldStatus() == null ? null : e.oldStatus().name());
      o.put("status", e.newStatus().name());
      o.put("output", e.output());
    }
    return Response.json(200, out);
  }
}
