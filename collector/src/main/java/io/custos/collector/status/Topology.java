package io.custos.collector.status;

import io.custos.collector.config.ParentsSection;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.StatePolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Host parents, from {@code hosts: { parents: { PATTERN: [PARENT, ...] } }}: which hosts a host
 * sits behind, and, evaluated at an instant, every host's {@link HostState}. Immutable and
 * thread-safe; evaluation is a pure function of the host records, the time and the policy.
 *
 * <p>A silent host (absent for {@code absent_after} of its intervals) is UNREACHABLE when every one
 * of its known parents is DOWN or UNREACHABLE, DOWN otherwise. Because a parent and the hosts
 * behind it fall silent at the same moment but are each declared absent on their own report
 * schedule, a silent host whose UP parents have not been heard from since one of the host's
 * intervals after its own last report waits (stays UP) until each such parent is decided: the
 * parent reporting again makes it DOWN, the parent going absent makes it UNREACHABLE. The wait is
 * at most the parent's own absence time. Likewise a parent coming back UP restarts the silence of
 * the hosts behind it, which then have their own absence time to report again. Parents that never
 * reported are ignored.
 */
public final class Topology {
  /** No parents: every silent host is DOWN. */
  public static final Topology NONE = new Topology(Map.of());

  private final Map<String, List<String>> parents;

  /** {@code parents} as validated by {@link #validate}. */
  public Topology(Map<String, List<String>> parents) {
    this.parents = validate(parents);
  }

  /** True when no parents are configured. */
  public boolean isEmpty() {
    return parents.isEmpty();
  }

  /** See {@link ParentsSection#validate}. */
  public static Map<String, List<String>> validate(Map<String, List<String>> config) {
    return ParentsSection.validate(config);
  }

  /** The configured parents of {@code host}, sorted; empty when it has none. */
  public List<String> parentsOf(String host) {
    return parents.isEmpty() ? List.of() : ParentsSection.parentsOf(parents, host);
  }

  /**
   * What one host is at one instant.
   *
   * @param state UP, DOWN or UNREACHABLE
   * @param parents its configured parents, sorted
   * @param rootCauses for an UNREACHABLE host the DOWN hosts that cut it off, sorted; else empty
   * @param blocking for a DOWN host the hosts UNREACHABLE because of it (transitively), sorted;
   *     else empty
   * @param quiet it has missed at least one report (silent for more than one interval)
   * @param heard its last report, or when the collector could start hearing it if later, epoch ms
   */
  public record Node(
      HostState state,
      List<String> parents,
      List<String> rootCauses,
      List<String> blocking,
      boolean quiet,
      long heard) {
    public Node {
      parents = List.copyOf(parents);
      rootCauses = List.copyOf(rootCauses);
      blocking = List.copyOf(blocking);
    }
  }

  /** Every host's {@link Node} at one instant, by host name. */
  public record Snapshot(Map<String, Node> nodes) {
    /** Nobody known. */
    public static final Snapshot EMPTY = new Snapshot(Map.of());

    public Snapshot {
      nodes = Map.copyOf(nodes);
    }

    /** {@code host}'s node; an unknown host is UP without parents. */
    public Node of(String host) {
      Node n = nodes.get(host);
      return n == null ? new Node(HostState.UP, List.of(), List.of(), List.of(), false, 0) : n;
    }

    /** {@code host}'s state; UP for an unknown host. */
    public HostState state(String host) {
      return of(host).state();
    }
  }

  /**
   * Every host's state at {@code now}: silence counts from its last report or {@code hearingSince},
   * whichever is later, as everywhere else.
   */
  public Snapshot evaluate(
      Collection<HostRecord> hosts, long now, StatePolicy policy, long hearingSince) {
    Eval ev = new Eval(hosts, now, policy, hearingSince, false);
    Map<String, Node> out = new HashMap<>();
    Map<String, List<String>> blocking = new HashMap<>();
    for (HostRecord h : hosts) {
      HostState s = ev.state(h.name());
      if (s == HostState.UNREACHABLE) {
        for (String root : ev.roots(h.name())) {
          blocking.computeIfAbsent(root, k -> new ArrayList<>()).add(h.name());
        }
      }
    }
    for (HostRecord h : hosts) {
      HostState s = ev.state(h.name());
      List<String> blocked = new ArrayList<>(blocking.getOrDefault(h.name(), List.of()));
      blocked.sort(null);
      out.put(
          h.name(),
          new Node(
              s,
              ev.parents(h.name()),
              s == HostState.UNREACHABLE ? ev.roots(h.name()) : List.of(),
              s == HostState.DOWN ? blocked : List.of(),
              now - ev.heard(h) > h.intervalS() * 1000L,
              ev.heard(h)));
    }
    return new Snapshot(out);
  }

  /**
   * The hosts behind {@code root} (transitively) that have missed at least one report and whose
   * parents have all fallen silent too: those it cuts off, named in its DOWN notice even before
   * they are themselves absent long enough to be UNREACHABLE. Sorted.
   */
  public List<String> cutOff(
      String root, Collection<HostRecord> hosts, long now, StatePolicy policy, long hearingSince) {
    if (parents.isEmpty()) {
      return List.of();
    }
    Eval ev = new Eval(hosts, now, policy, hearingSince, true);
    Map<String, List<String>> children = new HashMap<>();
    for (HostRecord h : hosts) {
      for (String p : ev.parents(h.name())) {
        children.computeIfAbsent(p, k -> new ArrayList<>()).add(h.name());
      }
    }
    TreeSet<String> out = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      for (String c : children.getOrDefault(todo.pop(), List.of())) {
        if (!out.contains(c) && !c.equals(root) && ev.state(c) == HostState.UNREACHABLE) {
          out.add(c);
          todo.push(c);
        }
      }
    }
    return List.copyOf(out);
  }

  /** One evaluation, memoized. {@code loose}: a host that missed one report counts as silent. */
  private final class Eval {
    private final Map<String, HostRecord> byName = new HashMap<>();
    private final long now;
    private final StatePolicy policy;
    private final long hearingSince;
    private final boolean loose;
    private final Map<String, HostState> memo = new HashMap<>();
    private final Map<String, List<String>> parentMemo = new HashMap<>();
    private final Map<String, List<String>> rootMemo = new HashMap<>();
    private final Set<String> visiting = new HashSet<>();

    Eval(
        Collection<HostRecord> hosts,
        long now,
        StatePolicy policy,
        long hearingSince,
        boolean loose) {
      hosts.forEach(h -> byName.put(h.name(), h));
      this.now = now;
      this.policy = policy;
      this.hearingSince = hearingSince;
      this.loose = loose;
    }

    /**
     * Silence counts from the host's last report, from when the collector could hear it, or from
     * when a parent came back UP, whichever is latest: the hosts behind a recovered switch get
     * their own absence time to report again instead of being DOWN for the seconds until they do.
     */
    long heard(HostRecord h) {
      long t = Math.max(h.lastReport(), hearingSince);
      for (String p : parents(h.name())) {
        t = Math.max(t, byName.get(p).upSince());
      }
      return t;
    }

    boolean silent(HostRecord h) {
      long quiet = now - heard(h);
      return loose ? quiet > h.intervalS() * 1000L : policy.isAbsent(quiet, h.intervalS());
    }

    /** Known parents only: one that never reported cannot be judged. */
    List<String> parents(String host) {
      return parentMemo.computeIfAbsent(
          host, n -> parentsOf(n).stream().filter(byName::containsKey).toList());
    }

    HostState state(String name) {
      HostState known = memo.get(name);
      if (known != null) {
        return known;
      }
      HostRecord h = byName.get(name);
      if (h == null || !visiting.add(name)) {
        return HostState.UP; // unknown, or a cycle (refused by validate; guarded anyway)
      }
      HostState s;
      if (!silent(h)) {
        s = HostState.UP;
      } else if (parents(name).isEmpty()) {
        s = HostState.DOWN;
      } else {
        boolean clearlyAlive = false;
        boolean suspect = false;
        for (String p : parents(name)) {
          if (state(p) == HostState.UP) {
            // A parent heard after this host's next report was due was alive when it went quiet.
            if (heard(byName.get(p)) > heard(h) + h.intervalS() * 1000L) {
              clearlyAlive = true;
            } else {
              suspect = true;
            }
          }
        }
        if (clearlyAlive) {
          s = HostState.DOWN;
        } else if (suspect) {
          s = loose ? HostState.UNREACHABLE : HostState.UP;
        } else {
          s = HostState.UNREACHABLE;
        }
      }
      visiting.remove(name);
      memo.put(name, s);
      return s;
    }

    List<String> roots(String name) {
      List<String> known = rootMemo.get(name);
      if (known != null) {
        return known;
      }
      TreeSet<String> out = new TreeSet<>();
      for (String p : parents(name)) {
        HostState s = state(p);
        if (s == HostState.DOWN) {
          out.add(p);
        } else if (s == HostState.UNREACHABLE && !p.equals(name)) {
          out.addAll(roots(p));
        }
      }
      List<String> r = List.copyOf(out);
      rootMemo.put(name, r);
      return r;
    }
  }
}
