package io.custos.collector.http;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Content negotiation and the time format of text tables. */
final class Formats {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

  private Formats() {}

  /**
   * True when the client asked for a text table: {@code ?format=text}, or an {@code Accept} header
   * preferring {@code text/plain} when no {@code format} is given. {@code curl}'s {@code *}{@code
   * /*} gets JSON.
   *
   * @throws HttpError 400 for a {@code format} other than json or text
   */
  static boolean wantsText(Request request) throws HttpError {
    String format = request.query("format");
    if (format != null) {
      return switch (format) {
        case "text" -> true;
        case "json" -> false;
        default -> throw new HttpError(400, "format: expected json|text, got \"" + format + "\"");
      };
    }
    String accept = request.header("Accept");
    return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
  }

  /** Local time with the zone named, {@code 2026-11-27 13:05:12 UTC}. */
  static String localTime(long epochMs, ZoneId zone) {
    ZoneId z = zone.equals(ZoneOffset.UTC) ? ZoneId.of("UTC") : zone;
    return LOCAL.format(Instant.ofEpochMilli(epochMs).atZone(z));
  }
}
