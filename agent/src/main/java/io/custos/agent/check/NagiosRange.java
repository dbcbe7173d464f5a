package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A threshold in the Nagios plugin range format (Nagios Plugin Development Guidelines, "Threshold
 * and ranges"): {@code 10} alerts outside 0..10, {@code 10:} below 10, {@code ~:10} above 10,
 * {@code 10:20} outside 10..20, {@code @10:20} inside 10..20. Ends are inclusive, so {@code 10}
 * does not alert on exactly 10. YAML may give a plain number ({@code critical: 90}).
 *
 * @param low the lower end; negative infinity for {@code ~}
 * @param high the upper end; positive infinity when left out
 * @param inside true for {@code @}: alert when the value is inside
 * @param text the range as written
 */
public record NagiosRange(double low, double high, boolean inside, String text) {
  private static final Pattern P =
      Pattern.compile("(@)?(?:(~|[-+]?\\d+(?:\\.\\d+)?)?:)?([-+]?\\d+(?:\\.\\d+)?)?");

  public NagiosRange {
    if (low > high) {
      throw new IllegalArgumentException(
          "threshold \"" + text + "\": the start must not be above the end");
    }
  }

  /**
   * Parses a range.
   *
   * @throws IllegalArgumentException naming the text when it is not a range
   */
  public static NagiosRange parse(String text) {
    String t = text == null ? "" : text.strip();
    Matcher m = P.matcher(t);
    if (t.isEmpty()
        || t.equals("@")
        || !m.matches()
        || (m.group(2) == null && m.group(3) == null)) {
      throw new IllegalArgumentException(
          "threshold: expected a Nagios range such as 90, 10:, ~:90, 10:20 or @10:20, got \""
              + text
              + "\"");
    }
    boolean colon = t.contains(":");
    double low;
    if (!colon) {
      low = 0;
    } else if ("~".equals(m.group(2))) {
      low = Double.NEGATIVE_INFINITY;
    } else {
      low = m.group(2) == null ? 0 : Double.parseDouble(m.group(2));
    }
    double high = m.group(3) == null ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(3));
    return new NagiosRange(low, high, m.group(1) != null, t);
  }

  /** From YAML: a string, or a number ({@code critical: 90} is the range {@code 90}). */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static NagiosRange fromYaml(com.fasterxml.jackson.databind.JsonNode node) {
    if (node == null || !(node.isTextual() || node.isNumber())) {
      throw new IllegalArgumentException(
          "threshold: expected a number or a Nagios range such as \"10:\", got " + node);
    }
    return parse(node.asText());
  }

  /** True when {@code value} should raise an alert. */
  public boolean alerts(double value) {
    boolean in = value >= low && value <= high;
    return inside == in;
  }

  /** The value for perfdata's warn/crit field: the upper end when finite, else the lower. */
  public Double perfdata() {
    if (Double.isFinite(high)) {
      return high;
    }
    return Double.isFinite(low) ? low : null;
  }

  @JsonValue
  @Override
  public String toString() {
    return text;
  }
}
