package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.HostView;
import io.custos.collector.status.ServiceFilter;
import io.custos.collector.status.ServiceView;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.TokenOwner;
import io.custos.common.units.Durations;
import io.custos.common.wire.Status;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET
 * /api/v1/services?status=problems|unhandled|ok|warning|critical|unknown|all&host=NAME&group=G&q=TEXT},
 * paginated ({@link Page}), any reading token: the Nagios "Service Status" table, {@code Host
 * Alive} included, sorted by host then service. {@code unhandled}: problems not acknowledged, not
 * in downtime and not on a DOWN host; {@code q}: the rows whose host, service or output contains
 * the text, ignoring case; {@code host_contains}: the rows whose host name contains the text,
 * ignoring case; {@code servicegroup}: the members of that service group ({@code servicegroups:},
 * 400 for an unknown one); {@code sort}: one of {@code host, service, status, duration, attempt,
 * last_check}, {@code -} before it for descending (status orders by badness, CRITICAL &gt; WARNING
 * &gt; UNKNOWN &gt; OK; ties by host then service), applied before paging. A bad {@code sort} is
 * 400. JSON array by default; with {@code ?format=text} (or {@code Accept: text/plain}) an aligned
 * table whose Status Information column is cut at {@value #MAX_OUTPUT} characters and marked with
 * {@code …} (the JSON always carries the full text). A bad {@code status} is 400.
 */
final class ServicesHandler implements Handler {
  static final int MAX_OUTPUT = 100;

  private final StatusBoard board;

  ServicesHandler(StatusBoard board) {
    this.board = board;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    ServiceFilter filter;
    boolean unhandled = "unhandled".equals(request.query("status"));
    try {
      filter =
          ServiceFilter.parse(
              unhandled ? "problems" : request.query("status"), request.query("host"));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    boolean text = Formats.wantsText(request);
    Page page = Page.of(request);
    List<ServiceView> all = board.services(filter);
    String group = Params.text(request, "group");
    if (group != null) {
      Set<String> inGroup = new HashSet<>();
      for (HostView h : board.hosts()) {
        if (board.groups().of(h.name(), h.tags()).contains(group)) {
          inGroup.add(h.name());
        }
      }
      all = all.stream().filter(r -> inGroup.contains(r.host())).toList();
    }
    if (unhandled) {
      all = all.stream().filter(ServiceView::unhandled).toList();
    }
    String q = Params.text(request, "q");
    if (q != null) {
      String needle = q.toLowerCase(Locale.ROOT);
      all =
          all.stream()
              .filter(
                  r ->
                      r.host().toLowerCase(Locale.ROOT).contains(needle)
                          || r.service().toLowerCase(Locale.ROOT).contains(needle)
                          || (r.output() != null
                              && r.output().toLowerCase(Locale.ROOT).contains(needle)))
              .toList();
    }
    String serviceGroup = Params.text(request, "servicegroup");
    if (serviceGroup != null) {
      if (!board.serviceGroups().exists(serviceGroup)) {
        throw new HttpError(
            400,
            "servicegroup: no service group \""
                + serviceGroup
                + "\" (servicegroups: in collector.yml has "
                + String.join(", ", board.serviceGroups().names())
                + ")");
      }
      all =
          all.stream()
              .filter(r -> board.serviceGroups().contains(serviceGroup, r.host(), r.service()))
              .toList();
    }
    String contains = Params.text(request, "host_contains");
    if (contains != null) {
      String needle = contains.toLowerCase(Locale.ROOT);
      all = all.stream().filter(r -> r.host().toLowerCase(Locale.ROOT).contains(needle)).toList();
    }
    String sort = Params.text(request, "sort");
    if (sort != null) {
      all = all.stream().sorted(order(sort)).toList();
    }
    List<ServiceView> rows = page.slice(all);
    Response r = text ? Response.text(200, table(rows, board.clock().getZone())) : json(rows);
    return page.headers(r, request, all.size());
  }

  private static final List<Status> BADNESS =
      List.of(Status.OK, Status.UNKNOWN, Status.WARNING, Status.CRITICAL);

  /** The order {@code sort} names; ties by host then service. 400 naming the value if unknown. */
  static Comparator<ServiceView> order(String sort) throws HttpError {
    boolean desc = sort.startsWith("-");
    String key = desc ? sort.substring(1) : sort;
    Comparator<ServiceView> c =
        switch (key) {
          case "host" -> Comparator.comparing(ServiceView::host);
          case "service" -> Comparator.comparing(ServiceView::service);
          case "status" -> Comparator.comparingInt(v -> BADNESS.indexOf(v.status()));
          case "duration" -> Comparator.comparingLong(ServiceView::durationS);
          case "attempt" -> Comparator.comparingInt(ServiceView::attempt);
          case "last_check" -> Comparator.comparingLong(ServiceView::lastCheck);
          default ->
              throw new HttpError(
                  400,
                  "sort: expected host|service|status|duration|attempt|last_check, with - for"
                      + " descending, got \""
                      + sort
                      + "\"");
        };
    if (desc) {
      c = c.reversed();
    }
    return c.thenComparing(ServiceView::host).thenComparing(ServiceView::service);
  }

  static String table(List<ServiceView> rows, ZoneId zone) {
    TextTable table =
        new TextTable(
            "Host",
            "Service",
            "Status",
            "Duration",
            "Attempt",
            "Last Check",
            "Flags",
            "Status Information");
    for (ServiceView r : rows) {
      table.add(
          r.host(),
          r.service(),
          r.status().name() + (r.stale() ? " (stale)" : ""),
          Durations.format(Duration.ofSeconds(r.durationS())),
          r.attempt() + "/" + r.maxAttempts(),
          Formats.localTime(r.lastCheck(), zone),
          r.flags() == null ? "" : r.flags().marks(),
          TextTable.truncate(r.output(), MAX_OUTPUT));
    }
    return table.render();
  }

  private static Response json(List<ServiceView> rows) {
    return Response.json(200, rows(rows));
  }

  /** The JSON rows of the service table, shared with {@code /api/v1/hosts/{host}}. */
  static ArrayNode rows(List<ServiceView> rows) {
    ArrayNode out = Response.mapper().createArrayNode();
    for (ServiceView r : rows) {
      ObjectNode o = out.addObject();
      o.put("host", r.host());
      o.put("service", r.service());
      o.put("check", r.check());
      o.put("status", r.status().name());
      o.put("duration_s", r.durationS());
      o.put("attempt", r.attempt());
      o.put("max_attempts", r.maxAttempts());
      o.put("last_check", r.lastCheck());
      o.put("last_change", r.lastChange());
      o.put("output", r.output());
      if (r.longOutput() != null) {
        o.put("long_output", r.longOutput());
      }
      o.put("stale", r.stale());
      o.put("unhandled", r.unhandled());
      if (r.hostAlive()) {
        o.put("host_alive", true);
      }
      if (r.flags() != null) {
        o.put("state_type", r.flags().hard() ? "HARD" : "SOFT");
        o.put("acknowledged", r.flags().acknowledged());
        o.put("in_downtime", r.flags().inDowntime());
        o.put("flapping", r.flags().flapping());
      }
      o.set("metrics", Response.mapper().valueToTree(r.metrics()));
    }
    return out;
  }
}
