package io.custos.collector.alert;

import java.time.ZoneId;

/**
 * A scheduled downtime: no notification for what it covers while it is active. It covers a host
 * (all its services and the host itself), one service of a host, or every host of a group. It is
 * one-off ({@code start} to {@code end}) or recurring ({@code weekly}, optionally bounded by {@code
 * start}/{@code end}).
 *
 * @param id store id
 * @param host host name, or null with a group
 * @param service service name, or null for the whole host or group
 * @param group host group, or null with a host
 * @param start epoch ms it starts (a recurring one: from when it applies, 0 for always)
 * @param end epoch ms it ends (a recurring one: until when it applies, {@link Long#MAX_VALUE})
 * @param weekly recurring window, or null for one-off
 * @param author who scheduled it
 * @param comment why
 */
public record Downtime(
    long id,
    String host,
    String service,
    String group,
    long start,
    long end,
    Weekly weekly,
    String author,
    String comment) {

  public Downtime {
    if ((host == null) == (group == null)) {
      throw new IllegalArgumentException("downtime: give either host or group");
    }
    if (end <= start) {
      throw new IllegalArgumentException("downtime: end must be after start");
    }
    author = author == null ? "" : author;
    comment = comment == null ? "" : comment;
  }

  /** Active at {@code now}, in {@code zone} for a weekly window. */
  public boolean activeAt(long now, ZoneId zone) {
    if (now < start || now >= end) {
      return false;
    }
    return weekly == null || weekly.contains(now, zone);
  }

  /** Whether it covers {@code service} of {@code host}, a member of {@code groups}. */
  public boolean covers(String hostName, java.util.Set<String> groups, String serviceName) {
    boolean hostMatch = host != null ? host.equals(hostName) : groups.contains(group);
    return hostMatch && (service == null || service.equals(serviceName));
  }

  /** How the history names it: {@code #3 (weekly sun 01:00-03:00) by alice: kernel update}. */
  /**
   * When it ends, for a DOWNTIMESTART: {@code 2026-12-08T05:00:00Z} for a one-off downtime, or at
   * the end of the current weekly window (its end time in the collector's zone), or its bound.
   */
  public String ends() {
    if (weekly == null) {
      return java.time.Instant.ofEpochMilli(end).toString();
    }
    return "at "
        + weekly.to()
        + " (collector's local time) when the weekly window "
        + weekly.text()
        + " closes"
        + (end == Long.MAX_VALUE
            ? ""
            : "; the schedule ends " + java.time.Instant.ofEpochMilli(end));
  }

  public String describe() {
    return "#"
        + id
        + (weekly == null ? "" : " (weekly " + weekly.text() + ")")
        + (author.isEmpty() ? "" : " by " + author)
        + (comment.isEmpty() ? "" : ": " + comment);
  }
}
