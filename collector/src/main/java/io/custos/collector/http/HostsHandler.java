package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.HostView;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.TokenOwner;
import java.time.Instant;
import java.time.ZoneId;

/**
 * {@code GET /api/v1/hosts}, operator or admin token: every host with state UP/DOWN, last report
 * (epoch ms and ISO-8601 UTC), agent version, tags, service and problem counts. JSON array by
 * default; a table with {@code ?format=text}.
 */
final class HostsHandler implements Handler {
  private final StatusBoard board;

  HostsHandler(StatusBoard board) {
    this.board = board;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    boolean text = Formats.wantsText(request);
    var hosts = board.hosts();
    if (text) {
      ZoneId zone = board.clock().getZone();
      TextTable table =
          new TextTable("Host", "State", "Last Report", "Services", "Problems", "Agent", "Tags");
      for (HostView h : hosts) {
        table.add(
            h.name(),
            h.up() ? "UP" : "DOWN",
            Formats.localTime(h.lastReport(), zone),
            Integer.toString(h.services()),
            Integer.toString(h.problems()),
            h.agent(),
            String.join(",", h.tags()));
      }
      return Response.text(200, table.render());
    }
    ArrayNode out = Response.mapper().createArrayNode();
    for (HostView h : hosts) {
      ObjectNode o = out.addObject();
      o.put("host", h.name());
      o.put("state", h.up() ? "UP" : "DOWN");
      o.put("last_report", h.lastReport());
      o.put("last_report_iso", Instant.ofEpochMilli(h.lastReport()).toString());
      o.put("since", h.since());
      o.put("first_seen", h.firstSeen());
      o.put("agent", h.agent());
      h.tags().forEach(o.putArray("tags")::add);
      o.put("interval_s", h.intervalS());
      o.put("services", h.services());
      o.put("problems", h.problems());
    }
    return Response.json(200, out);
  }
}
