package io.custos.collector.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.collector.config.Globs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Service groups, as Nagios' {@code servicegroup}: named sets of services across hosts, chosen by
 * host-name and service-name patterns ({@code *} any run of characters, {@code ?} one character,
 * matched against the whole name, case-sensitive) from the collector's {@code servicegroups:}
 * configuration. A service belongs to a group when its host matches one of the group's {@code
 * hosts} patterns (default {@code ["*"]}) and its name one of its {@code services} patterns.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * servicegroups:
 *   disks: { services: ["Disk *", "Filesystem *"] }
 *   web-frontends: { hosts: ["web*"], services: ["HTTP*", "URL Status"] }
 * }</pre>
 */
public final class ServiceGroups {
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /**
   * One group's patterns, as configured.
   *
   * @param hosts host-name patterns; null or absent means every host
   * @param services service-name patterns, at least one
   */
  public record Section(List<String> hosts, List<String> services) {
    @JsonCreator
    public Section(
        @JsonProperty("hosts") List<String> hosts,
        @JsonProperty("services") List<String> services) {
      this.hosts = hosts == null ? List.of("*") : List.copyOf(hosts);
      this.services = services == null ? List.of() : List.copyOf(services);
    }
  }

  private final Map<String, Section> groups;

  public ServiceGroups(Map<String, Section> config) {
    this.groups = validate(config);
  }

  /** No service groups. */
  public static ServiceGroups none() {
    return new ServiceGroups(Map.of());
  }

  /**
   * Checks a {@code servicegroups:} section and returns an immutable copy in name order; null is
   * empty.
   *
   * @throws IllegalArgumentException naming the group and the key for a bad name or pattern
   */
  public static Map<String, Section> validate(Map<String, Section> config) {
    if (config == null) {
      return Map.of();
    }
    Map<String, Section> out = new LinkedHashMap<>();
    for (Map.Entry<String, Section> e :
        config.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      String name = e.getKey();
      if (!GROUP_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "servicegroups: group name must match [A-Za-z0-9][A-Za-z0-9._-]*, got \""
                + name
                + "\"");
      }
      Section s = e.getValue();
      if (s == null || s.services().isEmpty()) {
        throw new IllegalArgumentException(
            "servicegroups."
                + name
                + ".services: expected a list of service name patterns such as [\"Disk *\"]");
      }
      check(name + ".hosts", s.hosts());
      check(name + ".services", s.services());
      out.put(name, s);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private static void check(String where, List<String> patterns) {
    for (String p : patterns) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException("servicegroups." + where + ": empty pattern");
      }
    }
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
    Section s = groups.get(group);
    return s != null && any(s.hosts(), host) && any(s.services(), service);
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
