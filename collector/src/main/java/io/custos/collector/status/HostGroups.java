package io.custos.collector.status;

import io.custos.common.match.Globs;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Host groups: the tags an agent declares for its host, plus groups whose name patterns ({@code *}
 * any run of characters, {@code ?} one character, matched against the whole host name) from the
 * collector's {@code groups:} configuration. Immutable and thread-safe.
 *
 * <pre>{@code
 * groups: { web: ["web*"], db: ["db??", "pg-*"] }
 * }</pre>
 */
public final class HostGroups {
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Map<String, List<String>> patterns;

  public HostGroups(Map<String, List<String>> config) {
    this.patterns = validate(config);
  }

  /** No configured groups: tags only. */
  public static HostGroups tagsOnly() {
    return new HostGroups(Map.of());
  }

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

  /** The groups of {@code host}: its tags and every configured group with a matching pattern. */
  public List<String> of(String host, Collection<String> tags) {
    TreeSet<String> out = new TreeSet<>(tags);
    for (Map.Entry<String, List<String>> e : patterns.entrySet()) {
      if (Globs.any(e.getValue(), host)) {
        out.add(e.getKey());
      }
    }
    return List.copyOf(out);
  }
}
