package io.custos.collector.alert;

import java.time.DayOfWeek;
import java.time.Instant;
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

  /** True when {@code instant} falls inside a window, in {@code zone}. */
  public boolean contains(long epochMs, ZoneId zone) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMs).atZone(zone);
    LocalTime time = t.toLocalTime();
    if (!from.isAfter(to)) {
      return days.contains(t.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }
    // Crossing midnight: the evening part today, or the morning part of yesterday's window.
    return (days.contains(t.getDayOfWeek()) && !time.isBefore(from))
        || (days.contains(t.getDayOfWeek().minus(1)) && time.isBefore(to));
  }
}
