package io.custos.collector.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code groups:} — named lists of host name patterns ({@code *} any run of characters, {@code ?}
 * one character), checked here; {@code status.HostGroups} matches hosts against them.
 *
 * <pre>{@code
 * groups: { web: ["web*"], db: ["db??", "pg-*"] }
 * }</pre>
 */
public final class GroupsSection {
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private GroupsSection() {}

  /**
   * Checks a {@code groups:} section and returns an immutable copy; null is empty.
   *
   * @throws IllegalArgumentException naming the group for a bad group name or pattern list
   */
  public static Map<String, List<String>> validate(Map<String, List<String>> config) {
    if (config == null) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : config.entrySet()) {
      if (!GROUP_NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException(
            "groups: group name must match [A-Za-z0-9][A-Za-z0-9._-]*, got \"" + e.getKey() + "\"");
      }
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException(
            "groups." + e.getKey() + ": expected a list of host name patterns such as [\"web*\"]");
      }
      for (String g : e.getValue()) {
        if (g == null || g.isBlank()) {
          throw new IllegalArgumentException("groups." + e.getKey() + ": empty pattern");
        }
      }
      out.put(e.getKey(), List.copyOf(e.getValue()));
    }
    return Map.copyOf(out);
  }
}
