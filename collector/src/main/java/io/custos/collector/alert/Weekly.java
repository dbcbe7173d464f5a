package io.custos.collector.alert;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A recurring weekly window, written {@code "sun 01:00-03:00"}, {@code "mon,wed,fri 22:00-02:00"}
 * (a window may cross midnight: it then belongs to the day it starts on) or {@code "daily
 * 01:00-03:00"}. Times are local to the collector's time zone, so a window follows daylight saving
 * time as a cron job does.
 *
 * @param days the days a window starts on
 * @param from start time of day
 * @param to end time of day; before {@code from} when the window crosses midnight
 * @param text the text it was parsed from
 */
public record Weekly(Set<DayOfWeek> days, LocalTime from, LocalTime to, String text) {

  /**
   * Parses the syntax above.
   *
   * @throws IllegalArgumentException naming the text and what is wrong
   */
  public static Weekly parse(String text) {
    String usage =
        "expected a weekly window such as \"sun 01:00-03:00\", \"mon,thu 22:00-02:00\" or"
            + " \"daily 01:00-03:00\", got \""
            + text
            + "\"";
    if (text == null) {
      throw new IllegalArgumentException(usage);
    }
    String[] parts = text.strip().split("\\s+");
    if (parts.length != 2) {
      throw new IllegalArgumentException(usage);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String d : parts[0].toLowerCase(Locale.ROOT).split(",")) {
      if (d.equals("daily")) {
        days.addAll(EnumSet.allOf(DayOfWeek.class));
        continue;
      }
      DayOfWeek day = null;
      for (DayOfWeek w : DayOfWeek.values()) {
        if (w.name().toLowerCase(Locale.ROOT).startsWith(d) && d.length() >= 3) {
          day = w;
        }
      }
      if (day == null) {
        throw new IllegalArgumentException(usage + ": unknown day \"" + d + "\"");
      }
      days.add(day);
    }
    String[] range = parts[1].split("-");
    if (range.length != 2) {
      throw new IllegalArgumentException(usage);
    }
    try {
      LocalTime from = LocalTime.parse(range[0]);
      LocalTime to = LocalTime.parse(range[1]);
      if (from.equals(to)) {
        throw new IllegalArgumentException(usage + ": the window is empty");
      }
      return new Weekly(Set.copyOf(days), from, to, text.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(usage + ": times are HH:MM");
    }
  }

  /** How long the window is on a day without a clock change. */
  Duration length() {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? d.plusDays(1) : d;
  }

  /**
   * True when {@code epochMs} falls inside a window, in {@code zone}.
   *
   * <p>A window is the stretch of real time from the first moment the wall clock shows its start to
   * the last moment it shows its end, so it follows daylight saving time as cron does: a start or
   * end in the spring-forward gap moves forward by the gap's length, a start in the gap starts at
   * the first instant after it and the window then runs for its usual length (in Europe/Berlin on
   * 2026-03-29 {@code sun 02:00-02:30}, {@code sun 02:30-03:00} and {@code sun 02:45-03:15} are all
   * 03:00-03:30 CEST, when cron runs the jobs of the skipped hour), and a window touching the
   * repeated hour in autumn covers both passes.
   */
  public boolean contains(long epochMs, ZoneId zone) {
    Instant t = Instant.ofEpochMilli(epochMs);
    LocalDate today = t.atZone(zone).toLocalDate();
    // A window that contains t starts on t's local date or, crossing midnight, the day before.
    for (LocalDate day = today.minusDays(1); !day.isAfter(today); day = day.plusDays(1)) {
      if (!days.contains(day.getDayOfWeek())) {
        continue;
      }
      LocalDate endDay = from.isBefore(to) ? day : day.plusDays(1);
      LocalDateTime localStart = day.atTime(from);
      Instant start = ZonedDateTime.ofLocal(localStart, zone, null).toInstant();
      Instant end =
          ZonedDateTime.ofLocal(endDay.atTime(to), zone, null)
              .withLaterOffsetAtOverlap()
              .toInstant();
      ZoneOffsetTransition gap = zone.getRules().getTransition(localStart);
      if (gap != null && gap.isGap()) {
        // The start does not exist that day: the window starts at the first instant after the gap
        // (as cron and systemd timers run what was due in it) and runs for its usual length, or
        // to its end if that is later.
        start = gap.getInstant();
        Instant usual = start.plus(length());
        end = end.isAfter(usual) ? end : usual;
      }
      if (!t.isBefore(start) && t.isBefore(end)) {
        return true;
      }
    }
    return false;
  }
}
