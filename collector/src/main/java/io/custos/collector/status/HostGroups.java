package io.custos.collector.status;

import io.custos.collector.config.GroupsSection;
import io.custos.common.match.Globs;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
  private final Map<String, List<String>> patterns;

  public HostGroups(Map<String, List<String>> config) {
    this.patterns = GroupsSection.validate(config);
  }

  /** No configured groups: tags only. */
  public static HostGroups tagsOnly() {
    return new HostGroups(Map.of());
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
