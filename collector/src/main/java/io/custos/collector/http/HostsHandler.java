package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.HostView;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.TokenOwner;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code GET /api/v1/hosts?group=&limit=&offset=}, operator or admin token: every host (or those of
 * one group) with state UP/DOWN, last report (epoch ms and ISO-8601 UTC), agent version, tags,
 * groups, service and problem counts; paginated ({@link Page}). JSON array by default; a table with
 * {@code ?format=text}.
 */
final class HostsHandler implements Handler {
  private final StatusBoard board;

  HostsHandler(StatusBoard board) {
    this.board = board;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    boolean text = Formats.wantsText(request);
    Page page = Page.of(request);
    String group = Params.text(request, "group");
    List<HostView> all =
        board.hosts().stream()
            .filter(h -> group == null || board.groups().of(h.name(), h.tags()).contains(group))
            .toList();
    List<HostView> hosts = page.slice(all);
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
      return page.headers(Response.text(200, table.render()), request, all.size());
    }
    ArrayNode out = Response.mapper().createArrayNode();
    for (HostView h : hosts) {
      out.add(row(board, h));
    }
    return page.headers(Response.json(200, out), request, all.size());
  }

  /** One host as JSON, shared with the live stream's {@code host} events. */
  static ObjectNode row(StatusBoard board, HostView h) {
    ObjectNode o = Response.mapper().createObjectNode();
    o.put("host", h.name());
    o.put("state", h.up() ? "UP" : "DOWN");
    o.put("last_report", h.lastReport());
    o.put("last_report_iso", Instant.ofEpochMilli(h.lastReport()).toString());
    o.put("since", h.since());
    o.put("first_seen", h.firstSeen());
    o.put("agent", h.agent());
    h.tags().forEach(o.putArray("tags")::add);
    board.groups().of(h.name(), h.tags()).forEach(o.putArray("groups")::add);
    o.put("interval_s", h.intervalS());
    o.put("services", h.services());
    o.put("problems", h.problems());
    return o;
  }
}
