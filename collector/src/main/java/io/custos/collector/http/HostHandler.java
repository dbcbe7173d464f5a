package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.HostView;
import io.custos.collector.status.ServiceFilter;
import io.custos.collector.status.ServiceView;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.TokenOwner;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code GET /api/v1/hosts/{host}}, operator or admin token: one host — state UP/DOWN/UNREACHABLE
 * and since when, its parents, root causes and the hosts it cuts off (as {@link HostsHandler}),
 * last report, agent version, report interval, tags and groups, number of metric series — with its
 * service table ({@code Host Alive} included), paginated like every list ({@link Page}: {@code
 * limit}/{@code offset} apply to the services, {@code services_total} and {@code X-Total-Count}
 * give their number). 404 for a host that never reported.
 */
final class HostHandler implements Handler {
  private final StatusBoard board;

  HostHandler(StatusBoard board) {
    this.board = board;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    String name = request.param("host");
    boolean text = Formats.wantsText(request);
    HostView h =
        board.hosts().stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new HttpError(404, "no host \"" + name + "\""));
    List<String> groups = board.groups().of(h.name(), h.tags());
    Page page = Page.of(request);
    List<ServiceView> all = board.services(ServiceFilter.parse(null, name));
    List<ServiceView> services = page.slice(all);
    int series = board.store().history().series(name).size();
    if (text) {
      ZoneId zone = board.clock().getZone();
      StringBuilder sb = new StringBuilder();
      TextTable head = new TextTable("Host", "State", "Since", "Last Report", "Agent", "Groups");
      head.add(
          h.name(),
          h.state().name(),
          Formats.localTime(h.since(), zone),
          Formats.localTime(h.lastReport(), zone),
          h.agent(),
          String.join(",", groups));
      sb.append(head.render()).append('\n');
      if (!h.parents().isEmpty()) {
        sb.append("Parents: ").append(String.join(", ", h.parents())).append('\n');
      }
      if (!h.rootCauses().isEmpty()) {
        sb.append("Unreachable because: ")
            .append(String.join(", ", h.rootCauses()))
            .append(" DOWN\n");
      }
      if (!h.blocking().isEmpty()) {
        sb.append("Makes unreachable: ").append(String.join(", ", h.blocking())).append('\n');
      }
      sb.append('\n');
      sb.append(ServicesHandler.table(services, zone));
      sb.append('\n').append(series).append(" metric series: GET /api/v1/metrics/").append(name);
      sb.append('\n');
      return page.headers(Response.text(200, sb.toString()), request, all.size());
    }
    ObjectNode o = Response.mapper().createObjectNode();
    o.put("host", h.name());
    o.put("state", h.state().name());
    o.put("since", h.since());
    o.put("last_report", h.lastReport());
    o.put("last_report_iso", Instant.ofEpochMilli(h.lastReport()).toString());
    o.put("first_seen", h.firstSeen());
    o.put("agent", h.agent());
    o.put("interval_s", h.intervalS());
    h.tags().forEach(o.putArray("tags")::add);
    groups.forEach(o.putArray("groups")::add);
    o.put("problems", h.problems());
    HostsHandler.topology(o, h);
    o.put("series", series);
    o.put("services_total", all.size());
    o.set("services", ServicesHandler.rows(services));
    return page.headers(Response.json(200, o), request, all.size());
  }
}
