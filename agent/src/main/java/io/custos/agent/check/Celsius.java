package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A temperature in degrees Celsius, written in configuration as {@code 75C}, {@code 75°C} or a bare
 * number.
 *
 * @param value degrees Celsius, between -273 and 1000
 */
public record Celsius(double value) {
  public Celsius {
    if (!(value >= -273.15 && value <= 1000)) {
      throw new IllegalArgumentException(
          "temperature must be between -273C and 1000C, got " + value);
    }
  }

  /** Parses {@code 75C}, {@code 75°C}, {@code 72.5 C} or {@code 75}. */
  @JsonCreator
  public static Celsius parse(String text) {
    String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
    if (t.endsWith("C")) {
      t = t.substring(0, t.length() - 1).strip();
    }
    if (t.endsWith("°")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      return new Celsius(Double.parseDouble(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected a temperature such as 75C, got \"" + text + "\"");
    }
  }

  /** Binds a bare YAML number. */
  @JsonCreator
  public static Celsius of(double value) {
    return new Celsius(value);
  }

  @JsonValue
  @Override
  public String toString() {
    return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + "C";
  }

  /** {@code c} degrees as outputs write them: {@code 71C}, {@code 71.5C} (one decimal). */
  public static String text(double c) {
    return c == Math.rint(c) ? (long) c + "C" : String.format(Locale.ROOT, "%.1fC", c);
  }
}
