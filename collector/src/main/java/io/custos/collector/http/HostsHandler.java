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
 * one group) with state UP/DOWN/UNREACHABLE, its parents ({@code parents}), for an UNREACHABLE host
 * the DOWN hosts that cut it off ({@code root_causes}) and for a DOWN one the hosts it cuts off
 * ({@code blocking}), last report (epoch ms and ISO-8601 UTC), agent version, tags, groups, service
 * and problem counts; paginated ({@link Page}). JSON array by default; a table with {@code
 * ?format=text}.
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
          new TextTable(
              "Host", "State", "Last Report", "Services", "Problems", "Agent", "Parents", "Tags");
      for (HostView h : hosts) {
        table.add(
            h.name(),
            h.state().name(),
            Formats.localTime(h.lastReport(), zone),
            Integer.toString(h.services()),
            Integer.toString(h.problems()),
            h.agent(),
            h.parents().isEmpty() ? "-" : String.join(",", h.parents()),
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
    o.put("state", h.state().name());
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
    topology(o, h);
    return o;
  }

  /** {@code parents}, {@code root_causes} and {@code blocking}, always present, sorted. */
  static void topology(ObjectNode o, HostView h) {
    h.parents().forEach(o.putArray("parents")::add);
    h.rootCauses().forEach(o.putArray("root_causes")::add);
    h.blocking().forEach(o.putArray("blocking")::add);
  }
}
