package io.custos.collector.config;

import io.custos.common.match.Globs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code hosts.parents}: host-name patterns ({@code *} and {@code ?}, as in {@code groups:}) to the
 * names of the hosts they sit behind. Validation only; {@code status.Topology} evaluates it.
 */
public final class ParentsSection {
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private ParentsSection() {}

  /**
   * Checks a {@code hosts.parents} section and returns an immutable copy (null is empty): every
   * pattern has a non-empty list of parents, each a plain host name (no {@code *} or {@code ?}), no
   * host is its own parent, and the parents form no cycle.
   *
   * @throws IllegalArgumentException naming the key, the pattern and the parent
   */
  public static Map<String, List<String>> validate(Map<String, List<String>> config) {
    if (config == null) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : config.entrySet()) {
      String key = "hosts.parents.\"" + e.getKey() + "\"";
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("hosts.parents: empty host-name pattern");
      }
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException(
            key + ": expected a list of parent host names such as [sw1]");
      }
      for (String p : e.getValue()) {
        if (p == null || !HOST_NAME.matcher(p).matches()) {
          throw new IllegalArgumentException(
              key
                  + ": a parent must be a host name ([A-Za-z0-9][A-Za-z0-9._-]*, no patterns), got "
                  + (p == null ? "null" : "\"" + p + "\""));
        }
        if (Globs.matches(e.getKey(), p)) {
          throw new IllegalArgumentException(
              key + ": \"" + p + "\" would be its own parent (it matches the pattern)");
        }
      }
      out.put(e.getKey(), List.copyOf(e.getValue()));
    }
    refuseCycles(out);
    return Collections.unmodifiableMap(out);
  }

  /** The parents {@code config} gives {@code host}, sorted, never itself. */
  public static List<String> parentsOf(Map<String, List<String>> config, String host) {
    TreeSet<String> out = new TreeSet<>();
    for (Map.Entry<String, List<String>> e : config.entrySet()) {
      if (Globs.matches(e.getKey(), host)) {
        out.addAll(e.getValue());
      }
    }
    out.remove(host);
    return List.copyOf(out);
  }

  /** Only parent names can close a cycle (any other host has no host behind it). */
  private static void refuseCycles(Map<String, List<String>> config) {
    Set<String> names = new TreeSet<>();
    config.values().forEach(names::addAll);
    Map<String, List<String>> edges = new HashMap<>();
    for (String n : names) {
      edges.put(n, parentsOf(config, n));
    }
    Set<String> done = new HashSet<>();
    for (String start : names) {
      cycleFrom(start, edges, new ArrayList<>(), new HashSet<>(), done);
    }
  }

  private static void cycleFrom(
      String n,
      Map<String, List<String>> edges,
      List<String> path,
      Set<String> onPath,
      Set<String> done) {
    if (done.contains(n)) {
      return;
    }
    if (onPath.contains(n)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
      cycle.add(n);
      throw new IllegalArgumentException(
          "hosts.parents: the parents form a cycle: " + String.join(" -> ", cycle));
    }
    onPath.add(n);
    path.add(n);
    for (String p : edges.getOrDefault(n, List.of())) {
      cycleFrom(p, edges, path, onPath, done);
    }
    path.remove(path.size() - 1);
    onPath.remove(n);
    done.add(n);
  }
}
