package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code notify:} — when and where the alert engine sends notifications.
 *
 * <pre>{@code
 * notify:
 *   renotify: 2h            # repeat a still-open, unacknowledged hard problem; 0 never
 *   group_wait: 30s         # problems of one host within this window go out as one message
 *   flapping: { start: 20, stop: 5 }   # percent state change over the last 21 results
 *   downtime_notices: true  # DOWNTIMESTART / DOWNTIMEEND / DOWNTIMECANCELLED, as Nagios
 *   email:
 *     to: [root]
 *     from: custos@collector.example.net
 *     sendmail: /usr/sbin/sendmail     # either the local MTA (sendmail -t -oi) ...
 *     # smtp: { host: 10.1.1.253, port: 25, starttls: required, username: u,
 *     #         password_file: /etc/custos/smtp.pass }
 *   webhooks:
 *     - { url: "https://hooks.example.net/custos" }
 * }</pre>
 *
 * <p>Without an {@code email:} section mail goes to {@code root} through {@code /usr/sbin/sendmail}
 * when that program exists, and nowhere otherwise; under {@code NoNewPrivileges} (the packaged
 * systemd unit), where sendmail cannot queue, it goes to the same local MTA by SMTP on {@code
 * 127.0.0.1:25} (see {@link #effectiveEmail(Path, Path)}).
 *
 * @param renotify re-notification interval of an open hard problem; zero disables
 * @param groupWait how long a notice waits for others of the same host
 * @param flapping flap detection thresholds
 * @param email mail settings, or null for the default described above
 * @param webhooks webhook targets, possibly empty
 * @param downtimeNotices whether a downtime's start, end and cancellation are notified (default
 *     true, as Nagios does); false records them in the event history only
 */
public record NotifySection(
    Duration renotify,
    @JsonProperty("group_wait") Duration groupWait,
    Flapping flapping,
    Email email,
    List<Webhook> webhooks,
    @JsonProperty("downtime_notices") Boolean downtimeNotices) {

  /** Where mail goes when nothing is configured: the local MTA, as cron's mail does. */
  public static final Path DEFAULT_SENDMAIL = Path.of("/usr/sbin/sendmail");

  public NotifySection {
    renotify = renotify == null ? Duration.ofHours(2) : renotify;
    groupWait = groupWait == null ? Duration.ofSeconds(30) : groupWait;
    if (renotify.isNegative()) {
      throw new IllegalArgumentException("renotify: must not be negative, got " + renotify);
    }
    if (groupWait.isNegative() || groupWait.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("group_wait: expected 0s to 1h, got " + groupWait);
    }
    flapping = flapping == null ? new Flapping(null, null) : flapping;
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    downtimeNotices = downtimeNotices == null || downtimeNotices;
  }

  static NotifySection ofDefaults() {
    return new NotifySection(null, null, null, null, null, null);
  }

  /**
   * The email settings in force: the configured ones, or mail to root via the local sendmail if it
   * exists, or null for no mail.
   */
  public Email effectiveEmail() {
    return effectiveEmail(DEFAULT_SENDMAIL, Path.of("/proc/self/status"));
  }

  /**
   * {@link #effectiveEmail()} with the sendmail program and the process status file given.
   *
   * <p>A local sendmail queues mail through a set-group-ID helper (Postfix's {@code postdrop},
   * Exim's set-user-ID binary), which cannot work once the process runs with {@code
   * NoNewPrivileges} (systemd's {@code NoNewPrivileges=yes}, as the packaged unit sets; {@code
   * NoNewPrivs: 1} in {@code /proc/self/status}, see proc(5)). There the default is the local MTA's
   * SMTP port instead, {@code 127.0.0.1:25} without STARTTLS, to {@code root@localhost}, which the
   * default configurations of Postfix and Exim deliver to root through {@code /etc/aliases}.
   */
  Email effectiveEmail(Path sendmail, Path procStatus) {
    if (email != null) {
      return email;
    }
    if (!Files.isExecutable(sendmail)) {
      return null;
    }
    if (!noNewPrivileges(procStatus)) {
      return new Email(null, null, null, null);
    }
    return new Email(
        List.of("root@localhost"),
        null,
        null,
        new Smtp("127.0.0.1", 25, StartTls.OFF, false, null, null, null, null));
  }

  private static boolean noNewPrivileges(Path procStatus) {
    try {
      return Files.readAllLines(procStatus).stream()
          .anyMatch(l -> l.startsWith("NoNewPrivs:") && l.substring(11).trim().equals("1"));
    } catch (IOException | RuntimeException e) {
      return false; // not Linux, or no /proc: sendmail as before
    }
  }

  /**
   * {@code flapping:} thresholds in percent, as Nagios's {@code high_service_flap_threshold} and
   * {@code low_service_flap_threshold}.
   *
   * @param start flapping starts at or above this percentage
   * @param stop flapping stops at or below this percentage
   */
  public record Flapping(Double start, Double stop) {
    public Flapping {
      start = start == null ? 20.0 : start;
      stop = stop == null ? 5.0 : stop;
      if (stop < 0 || start > 100 || stop >= start) {
        throw new IllegalArgumentException(
            "flapping: expected 0 <= stop < start <= 100, got start " + start + ", stop " + stop);
      }
    }
  }

  /**
   * {@code email:}. Exactly one transport: {@code sendmail} (the default) or {@code smtp}.
   *
   * @param to recipients; default {@code [root]}
   * @param from sender; default {@code custos@<this host's FQDN>}, the canonical name or else the
   *     hostname
   * @param sendmail path of the local sendmail program, used unless {@code smtp} is set
   * @param smtp an SMTP relay, or null
   */
  public record Email(List<String> to, String from, String sendmail, Smtp smtp) {
    public Email {
      to = to == null || to.isEmpty() ? List.of("root") : List.copyOf(to);
      for (String t : to) {
        if (t == null || t.isBlank() || t.contains("\n")) {
          throw new IllegalArgumentException("email.to: expected addresses, got \"" + t + "\"");
        }
      }
      if (sendmail != null && smtp != null) {
        throw new IllegalArgumentException(
            "email: set either sendmail or smtp, not both (sendmail " + sendmail + ")");
      }
      sendmail = sendmail == null && smtp == null ? DEFAULT_SENDMAIL.toString() : sendmail;
    }
  }

  /** How the SMTP client protects the connection. */
  public enum StartTls {
    /** Refuse to send unless the server offers STARTTLS. */
    REQUIRED,
    /** Use STARTTLS when the server offers it. */
    OPPORTUNISTIC,
    /** Plain text. */
    OFF;

    @com.fasterxml.jackson.annotation.JsonCreator
    static StartTls parse(String text) {
      for (StartTls s : values()) {
        if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "starttls: expected required|opportunistic|off, got \"" + text + "\"");
    }
  }

  /**
   * {@code smtp:} — a relay (smarthost).
   *
   * @param host relay host name or address
   * @param port default 465 with {@code smtps}, else 25
   * @param starttls default {@code opportunistic}; ignored with {@code smtps}
   * @param smtps TLS from the first byte (port 465)
   * @param username AUTH user, or null for no AUTH
   * @param passwordFile file whose first line is the AUTH password
   * @param sslTrust hosts whose certificate is trusted without verification ({@code "*"} for any) —
   *     for relays with self-signed certificates; null verifies normally
   * @param timeout connect and read timeout, default 30s
   */
  public record Smtp(
      String host,
      Integer port,
      StartTls starttls,
      Boolean smtps,
      String username,
      @JsonProperty("password_file") String passwordFile,
      @JsonProperty("ssl_trust") String sslTrust,
      Duration timeout) {
    public Smtp {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("smtp.host: required");
      }
      smtps = smtps != null && smtps;
      port = port == null ? (smtps ? 465 : 25) : port;
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("smtp.port: expected 1 to 65535, got " + port);
      }
      starttls = starttls == null ? StartTls.OPPORTUNISTIC : starttls;
      if ((username == null) != (passwordFile == null)) {
        throw new IllegalArgumentException(
            "smtp: username and password_file go together (AUTH), got only one");
      }
      timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }
  }

  /**
   * A webhook: JSON POST of every message.
   *
   * @param url http(s) URL
   * @param timeout request timeout, default 10s
   */
  public record Webhook(String url, Duration timeout) {
    public Webhook {
      URI uri;
      try {
        uri = url == null ? null : URI.create(url);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException("webhooks.url: expected an http(s) URL, got " + url);
      }
      timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }
  }
}
