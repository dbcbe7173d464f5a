package io.custos.collector.http;

import io.custos.common.units.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Parses query parameters of the read API. Every failure is a 400 whose message starts with the
 * parameter's name and quotes the value: {@code from: expected epoch ms, ISO-8601 or a relative
 * time such as -7d or now, got "yesterday"}.
 */
final class Params {
  private Params() {}

  /**
   * A time: epoch milliseconds ({@code 1795783507907}), ISO-8601 ({@code 2026-11-27T12:00:00Z} or
   * with an offset), {@code now}, or relative to now ({@code -7d}, {@code -90m}, {@code -1h30m}).
   *
   * @return {@code dflt} when the parameter is absent or empty
   */
  static long time(Request r, String name, long now, long dflt) throws HttpError {
    String v = r.query(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    String t = v.strip();
    if (t.equals("now")) {
      return now;
    }
    try {
      if (t.startsWith("-")) {
        return now - Durations.parse(t.substring(1)).toMillis();
      }
      if (t.chars().allMatch(Character::isDigit)) {
        return Long.parseLong(t);
      }
      if (t.endsWith("Z")) {
        return Instant.parse(t).toEpochMilli();
      }
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
      throw new HttpError(
          400,
          name
              + ": expected epoch ms, ISO-8601 or a relative time such as -7d or now, got \""
              + v
              + "\"");
    }
  }

  /** A duration ({@code 5m}, {@code 1h}) or plain milliseconds; {@code dflt} when absent. */
  static long durationMs(Request r, String name, long dflt) throws HttpError {
    String v = r.query(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    String t = v.strip();
    try {
      long ms =
          t.chars().allMatch(Character::isDigit)
              ? Long.parseLong(t)
              : Durations.parse(t).toMillis();
      if (ms < 0) {
        throw new IllegalArgumentException();
      }
      return ms;
    } catch (IllegalArgumentException e) {
      throw new HttpError(
          400,
          name + ": expected a duration such as 30s, 5m or 1h, or milliseconds, got \"" + v + "\"");
    }
  }

  /** An integer in {@code [min, max]}; {@code dflt} when absent. */
  static int integer(Request r, String name, int dflt, int min, int max) throws HttpError {
    String v = r.query(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new HttpError(
        400, name + ": expected an integer from " + min + " to " + max + ", got \"" + v + "\"");
  }

  /** A non-blank text value or null. */
  static String text(Request r, String name) {
    String v = r.query(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** Human form of a duration for messages. */
  static String human(long ms) {
    return Durations.format(Duration.ofMillis(ms));
  }
}
