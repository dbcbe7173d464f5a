package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One central rule over metrics, an element of {@code rules:}. It yields a synthetic service named
 * {@code name} on every host (of {@code group}, when set) that reports the metric; its results go
 * through the same state machine as the agents' checks.
 *
 * <pre>{@code
 * rules:
 *   - { name: Root almost full, metric: fs_used_percent, labels: { mount: / },
 *       critical: "> 95", warning: "> 90", for: 10m, group: web }
 * }</pre>
 *
 * @param name the synthetic service's name
 * @param metric metric name, as reported
 * @param labels labels the metric must carry (a subset match), possibly empty
 * @param critical condition such as {@code "> 95"}; operators {@code > >= < <= == !=}
 * @param warning condition, or null
 * @param holdFor how long a condition must hold before it counts; zero counts at once
 * @param group host group the rule applies to, or null for every host
 */
public record RuleSection(
    String name,
    String metric,
    Map<String, String> labels,
    String critical,
    String warning,
    @JsonProperty("for") Duration holdFor,
    String group) {
  private static final Pattern CONDITION =
      Pattern.compile("\\s*(>=|<=|==|!=|>|<)\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*");

  public RuleSection {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("rules.name: required");
    }
    if (metric == null || metric.isBlank()) {
      throw new IllegalArgumentException("rules.metric: required in rule \"" + name + "\"");
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    if (critical == null && warning == null) {
      throw new IllegalArgumentException(
          "rules: rule \"" + name + "\" needs critical or warning (such as \"> 95\")");
    }
    if (critical != null) {
      Condition.parse(critical);
    }
    if (warning != null) {
      Condition.parse(warning);
    }
    holdFor = holdFor == null ? Duration.ZERO : holdFor;
  }

  /**
   * A parsed threshold, {@code "> 95"}.
   *
   * @param op the comparison
   * @param value the threshold
   */
  public record Condition(String op, double value) {
    /** Parses {@code "> 95"}, naming the text when it is not a condition. */
    public static Condition parse(String text) {
      Matcher m = CONDITION.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "rules: expected a condition such as \"> 95\" or \"<= 10\", got \"" + text + "\"");
      }
      return new Condition(m.group(1), Double.parseDouble(m.group(2)));
    }

    /** Whether {@code v} meets this condition. */
    public boolean test(double v) {
      return switch (op) {
        case ">" -> v > value;
        case ">=" -> v >= value;
        case "<" -> v < value;
        case "<=" -> v <= value;
        case "==" -> v == value;
        default -> v != value;
      };
    }
  }
}
