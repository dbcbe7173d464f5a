package io.custos.common.units;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A percentage from 0 to 100, written in configuration as {@code 80%} or {@code 80}.
 *
 * @param value 0–100
 */
public record Percent(double value) {
  public Percent {
    if (!(value >= 0 && value <= 100)) {
      throw new IllegalArgumentException("percentage must be between 0% and 100%, got " + value);
    }
  }

  /**
   * Parses {@code 80%}, {@code 80} or {@code 99.5%}.
   *
   * @throws IllegalArgumentException naming the text when it is not a percentage
   */
  @JsonCreator
  public static Percent parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).strip();
    }
    try {
      return new Percent(Double.parseDouble(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a percentage such as 80%, got \"" + text + "\"");
    }
  }

  /** Binds a bare YAML number, {@code warning: 80}. */
  @JsonCreator
  public static Percent of(double value) {
    return new Percent(value);
  }

  @JsonValue
  @Override
  public String toString() {
    return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + "%";
  }
}
