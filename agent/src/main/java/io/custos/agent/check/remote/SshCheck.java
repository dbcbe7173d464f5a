package io.custos.agent.check.remote;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Schedule;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An SSH server answers with its identification banner ({@code SSH-2.0-OpenSSH_9.2p1 Debian-2}).
 * See {@link SshConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: ssh, host: 10.1.1.253 }
 * }</pre>
 *
 * <p>One service, {@code SSH host}: {@code SSH OK - SSH-2.0-OpenSSH_9.2p1 Debian-2 (protocol 2.0)
 * in 0.002 s}. CRITICAL when the connection fails, no line comes within the timeout, or the line is
 * not an SSH banner (RFC 4253 allows other lines before it; up to 20 are skipped). Protocol 1 only
 * ({@code SSH-1.5-}) is WARNING. Metric {@code ssh_banner_seconds}. Nothing is sent.
 */
public final class SshCheck implements Check {
  private final SshConfig config;
  private final Schedule schedule;

  public SshCheck(SshConfig config) {
    this(config, config.defaultSchedule());
  }

  /**
   * The check for one {@code checks:} entry: its own keys and its shared ones ({@code timeout}).
   */
  public SshCheck(SshConfig config, Schedule schedule) {
    this.config = config;
    this.schedule = schedule;
  }

  @Override
  public String kind() {
    return "ssh";
  }

  @Override
  public String name() {
    return "SSH " + config.host() + (config.port() == 22 ? "" : ":" + config.port());
  }

  @Override
  public List<CheckResult> run(CheckContext context) {
    Duration limit = Schedule.ownTimeout(schedule.timeout());
    String where = config.host() + " port " + config.port();
    long start = System.nanoTime();
    try (Socket s = Remote.connect(config.host(), config.port(), limit)) {
      InputStream in = s.getInputStream();
      String banner = null;
      for (int i = 0; i < 20 && banner == null; i++) {
        String line = readLine(in);
        if (line == null) {
          break;
        }
        if (line.startsWith("SSH-")) {
          banner = line;
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return List.of(result(banner, took, where, context.now()));
    } catch (IOException e) {
      return List.of(
          new CheckResult(
              name(),
              kind(),
              Status.CRITICAL,
              "SSH CRITICAL - " + Remote.why(e, limit) + " on " + where,
              context.now(),
              List.of()));
    }
  }

  /** The result for a banner line (null when none came); pure but for the name. */
  CheckResult result(String banner, Duration took, String where, long now) {
    if (banner == null) {
      return new CheckResult(
          name(),
          kind(),
          Status.CRITICAL,
          "SSH CRITICAL - no SSH banner from " + where,
          now,
          List.of());
    }
    String[] p = banner.split("-", 3);
    String proto = p.length > 1 ? p[1] : "?";
    Status status =
        proto.equals("2.0") || proto.equals("1.99")
            ? Remote.ofTime(took, config.warning(), config.critical())
            : Status.WARNING;
    return new CheckResult(
        name(),
        kind(),
        status,
        "SSH "
            + status
            + " - "
            + banner
            + " (protocol "
            + proto
            + ") in "
            + Remote.seconds(took)
            + Remote.crossed(status, config.warning(), config.critical()),
        now,
        List.of(
            Remote.time(
                "ssh_banner_seconds",
                Map.of("target", config.host()),
                took,
                config.warning(),
                config.critical())));
  }

  /** One line up to CR LF or LF, at most 255 bytes as RFC 4253 allows; null at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    byte[] buf = new byte[255];
    int n = 0;
    int b;
    while ((b = in.read()) >= 0 && b != '\n' && n < buf.length) {
      buf[n++] = (byte) b;
    }
    if (b < 0 && n == 0) {
      return null;
    }
    String s = new String(buf, 0, n, StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
