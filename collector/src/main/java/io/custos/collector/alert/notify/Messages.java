package io.custos.collector.alert.notify;

import io.custos.collector.alert.Notice;
import io.custos.collector.alert.NoticeType;
import io.custos.common.units.Durations;
import io.custos.common.wire.Status;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes messages the way Nagios's default notification commands do: subject {@code [custos]
 * PROBLEM web01/Root Partition is CRITICAL}; plain-text body with type, notification number, host,
 * service, state, output, since when, attempt, why the notice is late if it is, and a dashboard
 * link. A RECOVERY says what the problem was and how long it lasted ({@code Was: CRITICAL for 1h
 * 12m, since …}); an ACKNOWLEDGEMENT since when the problem exists.
 *
 * <p>Several notices of one host become one message whose subject leads with the worst news and
 * counts what happened: {@code [custos] PROBLEM/RECOVERY web01: 1 CRITICAL, 1 recovered}.
 */
public final class Messages {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

  /** Notice types from the worst news to the best, for the order of a grouped subject. */
  private static final List<NoticeType> WORST_FIRST =
      List.of(
          NoticeType.PROBLEM,
          NoticeType.FLAPPINGSTART,
          NoticeType.DOWNTIMECANCELLED,
          NoticeType.DOWNTIMEEND,
          NoticeType.DOWNTIMESTART,
          NoticeType.ACKNOWLEDGEMENT,
          NoticeType.FLAPPINGSTOP,
          NoticeType.RECOVERY);

  private Messages() {}

  /**
   * @param host the host all notices are about
   * @param notices at least one, in the order they were decided
   * @param dashboardUrl public URL of the collector, or null
   * @param zone time zone the body's times are shown in (named)
   * @throws IllegalArgumentException when {@code notices} is empty
   */
  public static Message compose(
      String host, List<Notice> notices, String dashboardUrl, ZoneId zone) {
    if (notices.isEmpty()) {
      throw new IllegalArgumentException("a message needs at least one notice");
    }
    List<Notice> shown = latestOfEach(notices);
    String subject =
        shown.size() == 1
            ? "[custos] " + shown.get(0).headline()
            : "[custos] " + groupSubject(host, shown);
    List<Notice> worstFirst = new ArrayList<>(shown);
    worstFirst.sort(Comparator.comparingInt(Messages::rank));
    StringBuilder body = new StringBuilder();
    if (worstFirst.size() > LARGE_BATCH) {
      overview(body, host, worstFirst, zone);
    }
    int details = worstFirst.size() > LARGE_BATCH ? DETAILED : worstFirst.size();
    for (Notice n : worstFirst.subList(0, details)) {
      if (body.length() > 0) {
        body.append("\n");
      }
      body(body, n, dashboardUrl, zone);
    }
    if (details < worstFirst.size()) {
      body.append("\n")
          .append(worstFirst.size() - details)
          .append(" more notices: one line each in the list at the top; all of them on the")
          .append(" dashboard and in GET /api/v1/services?status=problems&host=")
          .append(host)
          .append('\n');
    }
    return new Message(host, subject, body.toString(), notices);
  }

  /** More notices than this in one message start with an overview. */
  static final int LARGE_BATCH = 10;

  /** A large batch details only its worst this many notices (the overview lists them all). */
  static final int DETAILED = 20;

  /** Up to this many services are named in a grouped PROBLEM subject. */
  static final int NAMED_IN_SUBJECT = 3;

  /**
   * The notices without those a later one of the same service and type replaced within the batch (a
   * WARNING that turned CRITICAL before the mail left is told once, as CRITICAL).
   */
  static List<Notice> latestOfEach(List<Notice> notices) {
    Map<String, Notice> last = new LinkedHashMap<>();
    for (Notice n : notices) {
      String key = n.service() + "\0" + n.type();
      last.remove(key);
      last.put(key, n);
    }
    return List.copyOf(last.values());
  }

  /** {@code 500 notices: 312 PROBLEM CRITICAL, 188 PROBLEM WARNING}, then one line each. */
  private static void overview(StringBuilder body, String host, List<Notice> notices, ZoneId zone) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Notice n : notices) {
      counts.merge(n.type() + " " + n.stateName(), 1, Integer::sum);
    }
    body.append("***** Custos: ").append(notices.size()).append(" notices for ").append(host);
    body.append(" *****\n\n");
    counts.forEach((k, v) -> body.append(String.format("%6d  %s%n", v, k)));
    body.append("\nWorst first:\n");
    for (Notice n : notices) {
      // The first line only: the details below carry the rest (thresholds, long output).
      String first = n.output().lines().findFirst().orElse("");
      String out = first.length() > 120 ? first.substring(0, 117) + "..." : first;
      body.append(
          String.format("  %-13s %-8s %-30s %s%n", n.type(), n.stateName(), n.service(), out));
    }
    body.append("\nDetails of the worst ")
        .append(Math.min(DETAILED, notices.size()))
        .append(" follow.\n");
  }

  /** {@code PROBLEM/RECOVERY web01: DOWN, 2 CRITICAL, 1 recovered}. */
  static String groupSubject(String host, List<Notice> notices) {
    List<Notice> sorted = new ArrayList<>(notices);
    sorted.sort(Comparator.comparingInt(Messages::rank));
    if (sorted.size() <= NAMED_IN_SUBJECT
        && sorted.stream().allMatch(n -> n.type() == NoticeType.PROBLEM)) {
      // Few problems: name them, worst first (PROBLEM web01: Disk /var CRITICAL, Load WARNING).
      List<String> named = new ArrayList<>();
      for (Notice n : sorted) {
        named.add(n.isHost() ? n.stateName() : n.service() + " " + n.stateName());
      }
      return "PROBLEM " + host + ": " + String.join(", ", named);
    }
    Set<String> types = new LinkedHashSet<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Notice n : sorted) {
      types.add(n.type().name());
      counts.merge(what(n), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Integer> c : counts.entrySet()) {
      boolean hostState =
          c.getKey().equals("DOWN") || c.getKey().equals("UP") || c.getKey().equals("UNREACHABLE");
      parts.add(hostState ? c.getKey() : c.getValue() + " " + c.getKey());
    }
    return String.join("/", types) + " " + host + ": " + String.join(", ", parts);
  }

  /** Lower is worse: by type, then a PROBLEM by how bad its state is. */
  private static int rank(Notice n) {
    int severity =
        switch (n.status()) {
          case CRITICAL -> n.isHost() ? 0 : 1;
          case UNKNOWN -> 2;
          case WARNING -> 3;
          default -> 4;
        };
    return WORST_FIRST.indexOf(n.type()) * 10 + (n.type() == NoticeType.PROBLEM ? severity : 0);
  }

  /** What one notice counts as in a grouped subject. */
  private static String what(Notice n) {
    return switch (n.type()) {
      case PROBLEM -> n.stateName();
      case RECOVERY -> n.isHost() ? "UP" : "recovered";
      case ACKNOWLEDGEMENT -> "acknowledged";
      case FLAPPINGSTART -> "flapping";
      case FLAPPINGSTOP -> "stopped flapping";
      case DOWNTIMESTART -> "downtime started";
      case DOWNTIMEEND -> "downtime ended";
      case DOWNTIMECANCELLED -> "downtime cancelled";
    };
  }

  /** {@code s} as one shell word: single-quoted, an inner {@code '} written {@code '\''}. */
  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void body(StringBuilder body, Notice n, String dashboardUrl, ZoneId zone) {
    body.append("***** Custos *****\n\n");
    body.append("Notification Type: ").append(n.type()).append('\n');
    if (n.number() > 0) {
      body.append("Notification: ").append(ordinal(n.number()));
      if (n.number() > 1 && n.firstSent() > 0) {
        body.append(", first sent ").append(time(n.firstSent(), zone));
      }
      body.append('\n');
    }
    body.append("Host: ").append(n.host()).append('\n');
    if (!n.isHost()) {
      body.append("Service: ").append(n.service()).append('\n');
    }
    body.append("State: ").append(n.stateName()).append('\n');
    if (n.type() == NoticeType.RECOVERY) {
      recovery(body, n, zone);
    } else if (!n.type().isDowntime()) {
      // Since when the problem exists (its first non-OK result, as RECOVERY's "Was: ... since"),
      // and, when later, since when it is hard (confirmed after max_attempts results).
      boolean earlier = n.problemSince() > 0 && n.problemSince() < n.since();
      long began = earlier ? n.problemSince() : n.since();
      body.append(n.type() == NoticeType.ACKNOWLEDGEMENT ? "Problem since: " : "Since: ")
          .append(time(began, zone))
          .append(" (")
          .append(lasting(n.time() - began))
          .append(")\n");
      if (earlier && n.type() != NoticeType.ACKNOWLEDGEMENT) {
        body.append("Hard since: ")
            .append(time(n.since(), zone))
            .append(" (")
            .append(lasting(n.time() - n.since()))
            .append(")\n");
      }
    }
    if (!n.isHost() && !n.type().isDowntime()) {
      body.append("Attempt: ").append(n.attempt()).append('/').append(n.maxAttempts()).append('\n');
    }
    body.append("Date/Time: ").append(time(n.time(), zone)).append('\n');
    if (n.late() != null) {
      body.append("Late notice: ").append(n.late()).append('\n');
    }
    if (n.author() != null) {
      String by = n.type().isDowntime() ? "Scheduled by: " : "Acknowledged by: ";
      body.append(by).append(n.author()).append('\n');
      body.append("Comment: ").append(n.comment()).append('\n');
    }
    body.append("\nAdditional Info:\n\n").append(n.output()).append('\n');
    if (n.type() == NoticeType.PROBLEM) {
      // What the on-call engineer types at 3 a.m. to take the problem; $CUSTOS_TOKEN holds an
      // operator token, and without dashboard_url the collector's address is $CUSTOS_URL.
      String api =
          dashboardUrl == null
              ? "$CUSTOS_URL/"
              : dashboardUrl.endsWith("/") ? dashboardUrl : dashboardUrl + "/";
      body.append(
              "\nAcknowledge: curl -H \"Authorization: Bearer $CUSTOS_TOKEN\" --data-urlencode ")
          .append(shellQuote("host=" + n.host()));
      if (!n.isHost()) {
        body.append(" --data-urlencode ").append(shellQuote("service=" + n.service()));
      }
      body.append(" -d comment=on-it ").append(api).append("api/v1/acks\n");
    }
    if (dashboardUrl != null) {
      String base = dashboardUrl.endsWith("/") ? dashboardUrl : dashboardUrl + "/";
      body.append("\nDashboard: ")
          .append(base)
          .append("?host=")
          .append(URLEncoder.encode(n.host(), StandardCharsets.UTF_8))
          .append('\n');
    }
  }

  /**
   * {@code Was: CRITICAL for 1h 12m, since …}, and when the notice is late (held back by a
   * downtime) when it recovered.
   */
  private static void recovery(StringBuilder body, Notice n, ZoneId zone) {
    Status was = n.problemStatus() == null ? Status.CRITICAL : n.problemStatus();
    String wasName = n.isHost() ? "DOWN" : was.name();
    body.append("Was: ").append(wasName);
    if (n.problemSince() > 0 && n.problemSince() <= n.since()) {
      body.append(" for ")
          .append(lasting(n.since() - n.problemSince()))
          .append(", since ")
          .append(time(n.problemSince(), zone));
    }
    body.append('\n');
    if (n.time() - n.since() >= 1_000) {
      body.append("Recovered: ")
          .append(time(n.since(), zone))
          .append(" (")
          .append(lasting(n.time() - n.since()))
          .append(" ago)\n");
    }
  }

  private static String time(long epochMs, ZoneId zone) {
    return TIME.format(Instant.ofEpochMilli(epochMs).atZone(zone));
  }

  private static String lasting(long ms) {
    // Whole seconds: "1h 12m", not "1h 12m 0.5s".
    return Durations.format(Duration.ofSeconds(Math.max(0, ms) / 1000));
  }

  /** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
  static String ordinal(int n) {
    int tens = n % 100;
    String suffix =
        tens >= 11 && tens <= 13
            ? "th"
            : switch (n % 10) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            };
    return n + suffix;
  }
}
