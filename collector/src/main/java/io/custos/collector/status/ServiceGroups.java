package io.custos.collector.status;

import io.custos.collector.config.ServiceGroupsSection;
import io.custos.common.match.Globs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Service groups, as Nagios' {@code servicegroup}: named sets of services across hosts, from the
 * collector's {@code servicegroups:} ({@link ServiceGroupsSection}). A service belongs to a group
 * when its host matches one of the group's {@code hosts} patterns (default {@code ["*"]}) and its
 * name one of its {@code services} patterns, each matched against the whole name, case-sensitive.
 * Immutable and thread-safe.
 */
public final class ServiceGroups {
  private final Map<String, ServiceGroupsSection.Group> groups;

  public ServiceGroups(Map<String, ServiceGroupsSection.Group> config) {
    this.groups = ServiceGroupsSection.validate(config);
  }

  /** No service groups. */
  public static ServiceGroups none() {
    return new ServiceGroups(Map.of());
  }

  /** The configured groups' names, in name order. */
  public List<String> names() {
    return List.copyOf(groups.keySet());
  }

  /** True when {@code group} is configured. */
  public boolean exists(String group) {
    return groups.containsKey(group);
  }

  /** True when (host, service) belongs to {@code group}; false for an unknown group. */
  public boolean contains(String group, String host, String service) {
    ServiceGroupsSection.Group g = groups.get(group);
    return g != null && any(g.hosts(), host) && any(g.services(), service);
  }

  /** The groups (host, service) belongs to, in name order. */
  public List<String> of(String host, String service) {
    List<String> out = new ArrayList<>();
    for (String g : groups.keySet()) {
      if (contains(g, host, service)) {
        out.add(g);
      }
    }
    return out;
  }

  private static boolean any(List<String> patterns, String name) {
    for (String p : patterns) {
      if (Globs.matches(p, name)) {
        return true;
      }
    }
    return false;
  }
}
