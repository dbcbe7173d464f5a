package io.custos.collector.status;

import io.custos.collector.config.GroupsSection;
import java.util.ArrayList;
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
  private final Map<String, List<Pattern>> patterns;

  public HostGroups(Map<String, List<String>> config) {
    Map<String, List<Pattern>> p = new LinkedHashMap<>();
    GroupsSection.validate(config)
        .forEach(
            (group, globs) -> {
              List<Pattern> list = new ArrayList<>();
              for (String g : globs) {
                list.add(glob(g));
              }
              p.put(group, List.copyOf(list));
            });
    this.patterns = Map.copyOf(p);
  }

  /** No configured groups: tags only. */
  public static HostGroups tagsOnly() {
    return new HostGroups(Map.of());
  }

  private static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (char c : g.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  /** The groups of {@code host}: its tags and every configured group with a matching pattern. */
  public List<String> of(String host, Collection<String> tags) {
    TreeSet<String> out = new TreeSet<>(tags);
    for (Map.Entry<String, List<Pattern>> e : patterns.entrySet()) {
      for (Pattern p : e.getValue()) {
        if (p.matcher(host).matches()) {
          out.add(e.getKey());
          break;
        }
      }
    }
    return List.copyOf(out);
  }
}
