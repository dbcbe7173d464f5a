package io.custos.collector.alert;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A recurring weekly window, written {@code "sun 01:00-03:00"}, {@code "mon,wed,fri 22:00-02:00"}
 * (a window may cross midnight: it then belongs to the day it starts on) or {@code "daily
 * 01:00-03:00"}. Times are local to the collector's time zone, so a window follows daylight saving
 * time as a cron job does.
 *
 * <p>Why hand-written and not a cron or RRULE library: a downtime window needs a start and an end
 * that may cross midnight and must follow daylight saving time in the collector's zone (a start in
 * the spring-forward gap moves forward by the gap's length, a window touching the repeated autumn
 * hour covers both passes; see {@link #contains}); cron expressions describe instants, not windows,
 * and iCalendar RRULE libraries bring far more than a weekly rule needs. The rule is small enough
 * to read whole and is held by {@code WeeklyTest} and {@code WeeklyDowntimeDstTest}.
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

  /**
   * True when {@code epochMs} falls inside a window, in {@code zone}.
   *
   * <p>A window is the stretch of real time from the first moment the wall clock shows its start to
   * the last moment it shows its end, so it follows daylight saving time as cron does: a start or
   * end in the spring-forward gap moves forward by the gap's length (a {@code sun 02:00-02:30}
   * window in Europe/Berlin on 2026-03-29 is 03:00-03:30 CEST, when cron runs the jobs of the
   * skipped half hour), and a window touching the repeated hour in autumn covers both passes.
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
      Instant start = ZonedDateTime.ofLocal(day.atTime(from), zone, null).toInstant();
      Instant end =
          ZonedDateTime.ofLocal(endDay.atTime(to), zone, null)
              .withLaterOffsetAtOverlap()
              .toInstant();
      if (!t.isBefore(start) && t.isBefore(end)) {
        return true;
      }
    }
    return false;
  }
}
