package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.HostState;
import io.custos.collector.status.HostView;
import io.custos.collector.status.ServiceFilter;
import io.custos.collector.status.ServiceView;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.TokenOwner;
import io.custos.common.wire.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's tallies, any reading token.
 *
 * <ul>
 *   <li>{@code GET /api/v1/summary}: {@code {"hosts":{"up":n,"down":n,"unreachable":n},
 *       "services":{"ok":n,"warning":n,"critical":n,"unknown":n},"unhandled":{"warning":n,
 *       "critical":n,"unknown":n},"handled":n}}. Services do not count {@code Host Alive} (that is
 *       the host); a problem is handled when acknowledged, in downtime or on a DOWN or UNREACHABLE
 *       host; {@code down} counts DOWN hosts only, {@code unreachable} those cut off by a DOWN
 *       parent ({@code hosts.parents}).
 *   <li>{@code GET /api/v1/groups}: per host group (agent tags and configured patterns), sorted by
 *       name, {@code [{"group":"web","hosts":{"up":n,"down":n},"services":{"ok":n,…}}]}; hosts in
 *       several groups count in each.
 *   <li>{@code GET /api/v1/servicegroups}: per service group ({@code servicegroups:} in
 *       collector.yml), in name order, configured groups with no member included, {@code
 *       [{"group":"disks","hosts":{"up":n,"down":n},"services":{"ok":n,…},"unhandled":n}]}: hosts
 *       that have a member service, and the member services by status.
 * </ul>
 */
final class SummaryHandler {
  private final StatusBoard board;

  SummaryHandler(StatusBoard board) {
    this.board = board;
  }

  Response summary(Request request, TokenOwner caller) {
    List<HostView> hosts = board.hosts();
    ObjectNode o = Response.mapper().createObjectNode();
    ObjectNode h = o.putObject("hosts");
    h.put("up", hosts.stream().filter(HostView::up).count());
    h.put("down", hosts.stream().filter(x -> x.state() == HostState.DOWN).count());
    h.put("unreachable", hosts.stream().filter(x -> x.state() == HostState.UNREACHABLE).count());
    Map<Status, Integer> all = new HashMap<>();
    Map<Status, Integer> open = new HashMap<>();
    int handled = 0;
    // Only the problems are read; the OK rows are only counted.
    all.put(Status.OK, board.count(Status.OK));
    for (ServiceView r : board.services(ServiceFilter.parse("problems", null))) {
      if (r.hostAlive()) {
        continue;
      }
      all.merge(r.status(), 1, Integer::sum);
      if (r.unhandled()) {
        open.merge(r.status(), 1, Integer::sum);
      } else if (r.status().isProblem()) {
        handled++;
      }
    }
    ObjectNode s = o.putObject("services");
    for (Status st : Status.values()) {
      s.put(name(st), all.getOrDefault(st, 0));
    }
    ObjectNode u = o.putObject("unhandled");
    for (Status st : Status.values()) {
      if (st.isProblem()) {
        u.put(name(st), open.getOrDefault(st, 0));
      }
    }
    o.put("handled", handled);
    return Response.json(200, o);
  }

  Response groups(Request request, TokenOwner caller) {
    Map<String, List<String>> groupsOfHost = new HashMap<>();
    Map<String, int[]> hostCounts = new TreeMap<>();
    for (HostView h : board.hosts()) {
      List<String> groups = board.groups().of(h.name(), h.tags());
      groupsOfHost.put(h.name(), groups);
      for (String g : groups) {
        hostCounts.computeIfAbsent(g, k -> new int[3])[h.state().ordinal()]++;
      }
    }
    Map<String, Map<Status, Integer>> serviceCounts = new HashMap<>();
    for (ServiceView r : board.services(ServiceFilter.ALL)) {
      if (r.hostAlive()) {
        continue;
      }
      for (String g : groupsOfHost.getOrDefault(r.host(), List.of())) {
        serviceCounts.computeIfAbsent(g, k -> new HashMap<>()).merge(r.status(), 1, Integer::sum);
      }
    }
    ArrayNode out = Response.mapper().createArrayNode();
    for (Map.Entry<String, int[]> e : hostCounts.entrySet()) {
      ObjectNode o = out.addObject();
      o.put("group", e.getKey());
      o.putObject("hosts")
          .put("up", e.getValue()[0])
          .put("down", e.getValue()[1])
          .put("unreachable", e.getValue()[2]);
      ObjectNode s = o.putObject("services");
      Map<Status, Integer> c = serviceCounts.getOrDefault(e.getKey(), Map.of());
      for (Status st : Status.values()) {
        s.put(name(st), c.getOrDefault(st, 0));
      }
    }
    return Response.json(200, out);
  }

  Response serviceGroups(Request request, TokenOwner caller) {
    Map<String, Boolean> up = new HashMap<>();
    for (HostView h : board.hosts()) {
      up.put(h.name(), h.up());
    }
    Map<String, Map<Status, Integer>> counts = new TreeMap<>();
    Map<String, java.util.Set<String>> hosts = new HashMap<>();
    Map<String, Integer> open = new HashMap<>();
    for (String g : board.serviceGroups().names()) {
      counts.put(g, new HashMap<>());
      hosts.put(g, new java.util.TreeSet<>());
    }
    for (ServiceView r : board.services(ServiceFilter.ALL)) {
      for (String g : board.serviceGroups().of(r.host(), r.service())) {
        counts.get(g).merge(r.status(), 1, Integer::sum);
        hosts.get(g).add(r.host());
        if (r.unhandled()) {
          open.merge(g, 1, Integer::sum);
        }
      }
    }
    ArrayNode out = Response.mapper().createArrayNode();
    for (Map.Entry<String, Map<Status, Integer>> e : counts.entrySet()) {
      ObjectNode o = out.addObject();
      o.put("group", e.getKey());
      long hostsUp = hosts.get(e.getKey()).stream().filter(h -> up.getOrDefault(h, true)).count();
      o.putObject("hosts").put("up", hostsUp).put("down", hosts.get(e.getKey()).size() - hostsUp);
      ObjectNode s = o.putObject("services");
      for (Status st : Status.values()) {
        s.put(name(st), e.getValue().getOrDefault(st, 0));
      }
      o.put("unhandled", open.getOrDefault(e.getKey(), 0));
    }
    return Response.json(200, out);
  }

  private static String name(Status s) {
    return s.name().toLowerCase(Locale.ROOT);
  }
}
