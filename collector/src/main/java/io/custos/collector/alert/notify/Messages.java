package io.custos.collector.alert.notify;

import io.custos.collector.alert.Notice;
import io.custos.common.units.Durations;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes messages the way Nagios's default notification commands do: subject {@code [custos]
 * PROBLEM web01/Root Partition is CRITICAL}; plain-text body with type, host, service, state,
 * output, since when, attempt, why the notice is late if it is, and a dashboard link. Several
 * notices of one host become one message whose subject counts them.
 */
public final class Messages {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

  private Messages() {}

  /**
   * @param dashboardUrl public URL of the collector, or null
   * @param zone time zone the body's times are shown in (named)
   */
  public static Message compose(
      String host, List<Notice> notices, String dashboardUrl, ZoneId zone) {
    if (notices.isEmpty()) {
      throw new IllegalArgumentException("a message needs at least one notice");
    }
    String subject;
    if (notices.size() == 1) {
      subject = "[custos] " + notices.get(0).headline();
    } else {
      Set<String> types = new LinkedHashSet<>();
      notices.forEach(n -> types.add(n.type().name()));
      subject =
          "[custos] "
              + String.join("/", types)
              + " "
              + host
              + ": "
              + notices.size()
              + " notifications";
    }
    StringBuilder body = new StringBuilder();
    for (Notice n : notices) {
      if (body.length() > 0) {
        body.append("\n");
      }
      body.append("***** Custos *****\n\n");
      body.append("Notification Type: ").append(n.type()).append('\n');
      body.append("Host: ").append(n.host()).append('\n');
      if (!n.isHost()) {
        body.append("Service: ").append(n.service()).append('\n');
      }
      body.append("State: ").append(n.stateName()).append('\n');
      long forMs = Math.max(0, n.time() - n.since());
      body.append("Since: ")
          .append(TIME.format(Instant.ofEpochMilli(n.since()).atZone(zone)))
          .append(" (")
          .append(Durations.format(Duration.ofMillis(forMs)))
          .append(")\n");
      if (!n.isHost()) {
        body.append("Attempt: ")
            .append(n.attempt())
            .append('/')
            .append(n.maxAttempts())
            .append('\n');
      }
      body.append("Date/Time: ")
          .append(TIME.format(Instant.ofEpochMilli(n.time()).atZone(zone)))
          .append('\n');
      if (n.late() != null) {
        body.append("Late notice: ").append(n.late()).append('\n');
      }
      if (n.author() != null) {
        body.append("Acknowledged by: ").append(n.author()).append('\n');
        body.append("Comment: ").append(n.comment()).append('\n');
      }
      body.append("\nAdditional Info:\n\n").append(n.output()).append('\n');
      if (dashboardUrl != null) {
        String base = dashboardUrl.endsWith("/") ? dashboardUrl : dashboardUrl + "/";
        body.append("\nDashboard: ")
            .append(base)
            .append("?host=")
            .append(URLEncoder.encode(n.host(), StandardCharsets.UTF_8))
            .append('\n');
      }
    }
    return new Message(host, subject, body.toString(), notices);
  }
}
