package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code servicegroups:} — named sets of services across hosts, by host-name and service-name
 * patterns ({@code *} any run of characters, {@code ?} one character), checked here; {@code
 * status.ServiceGroups} matches services against them.
 *
 * <pre>{@code
 * servicegroups:
 *   disks: { services: ["Disk *", "Filesystem *"] }
 *   web-frontends: { hosts: ["web*"], services: ["HTTP*", "URL Status"] }
 * }</pre>
 */
public final class ServiceGroupsSection {
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private ServiceGroupsSection() {}

  /**
   * One group's patterns, as configured.
   *
   * @param hosts host-name patterns; absent means every host ({@code ["*"]})
   * @param services service-name patterns, at least one
   */
  public record Group(List<String> hosts, List<String> services) {
    @JsonCreator
    public Group(
        @JsonProperty("hosts") List<String> hosts,
        @JsonProperty("services") List<String> services) {
      this.hosts = hosts == null ? List.of("*") : List.copyOf(hosts);
      this.services = services == null ? List.of() : List.copyOf(services);
    }
  }

  /**
   * Checks a {@code servicegroups:} section and returns an immutable copy in name order; null is
   * empty.
   *
   * @throws IllegalArgumentException naming the group and the key for a bad name or pattern
   */
  public static Map<String, Group> validate(Map<String, Group> config) {
    if (config == null) {
      return Map.of();
    }
    Map<String, Group> out = new LinkedHashMap<>();
    for (Map.Entry<String, Group> e :
        config.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      String name = e.getKey();
      if (!GROUP_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "servicegroups: group name must match [A-Za-z0-9][A-Za-z0-9._-]*, got \""
                + name
                + "\"");
      }
      Group g = e.getValue();
      if (g == null || g.services().isEmpty()) {
        throw new IllegalArgumentException(
            "servicegroups."
                + name
                + ".services: expected a list of service name patterns such as [\"Disk *\"]");
      }
      check(name + ".hosts", g.hosts());
      check(name + ".services", g.services());
      out.put(name, g);
    }
    return Collections.unmodifiableMap(out);
  }

  private static void check(String where, List<String> patterns) {
    for (String p : patterns) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException("servicegroups." + where + ": empty pattern");
      }
    }
  }
}
