package io.custos.agent.check.remote;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.check.Schedule;
import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A host is up: ICMP echo when the agent may send it, otherwise a TCP connect to port 7, 22 or 80,
 * saying so in the output. See {@link PingConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: ping, host: 10.1.1.253, warning: 100ms, critical: 500ms }
 * }</pre>
 *
 * <p>ICMP needs CAP_NET_RAW, which root has (the effective set is read from {@code
 * /proc/self/status}); the systemd unit of a non-root agent can grant it with {@code
 * AmbientCapabilities=CAP_NET_RAW}. Without it a host is up when any of the ports answers — a
 * refused connection counts, since only a live host sends the reset: {@code PING OK - 10.1.1.253
 * answers TCP port 7 (connection refused) in 0.000 s; no ICMP: the agent lacks CAP_NET_RAW}.
 * CRITICAL {@code PING CRITICAL - 10.1.1.253 does not answer} when nothing answers within the
 * timeout. Metric {@code ping_seconds}.
 */
public final class PingCheck implements Check {
  static final int[] TCP_PORTS = {7, 22, 80};
  private static final long CAP_NET_RAW = 13;

  private final PingConfig config;
  private final Schedule schedule;
  private final Boolean icmpOverride;

  public PingCheck(PingConfig config) {
    this(config, config.defaultSchedule(), null);
  }

  /**
   * The check for one {@code checks:} entry: its own keys and its shared ones ({@code timeout}).
   */
  public PingCheck(PingConfig config, Schedule schedule) {
    this(config, schedule, null);
  }

  /**
   * With {@code icmp} true or false to force the method (tests), null to decide from privileges.
   */
  public PingCheck(PingConfig config, Boolean icmp) {
    this(config, config.defaultSchedule(), icmp);
  }

  /** With the shared keys, and {@code icmp} as {@link #PingCheck(PingConfig, Boolean)}. */
  public PingCheck(PingConfig config, Schedule schedule, Boolean icmp) {
    this.config = config;
    this.schedule = schedule;
    this.icmpOverride = icmp;
  }

  @Override
  public String kind() {
    return "ping";
  }

  @Override
  public String name() {
    return "Ping " + config.host();
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    Duration limit = Schedule.ownTimeout(schedule.timeout());
    boolean icmp = icmpOverride != null ? icmpOverride : mayUseIcmp(Path.of("/proc/self/status"));
    InetAddress address;
    try {
      address = InetAddress.getByName(config.host());
    } catch (java.net.UnknownHostException e) {
      return List.of(
          new CheckResult(
              name(),
              kind(),
              Status.CRITICAL,
              "PING CRITICAL - unknown host " + config.host(),
              context.now(),
              List.of()));
    }
    long start = System.nanoTime();
    if (icmp) {
      boolean up = address.isReachable((int) limit.toMillis());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return List.of(
          up ? ok(took, "ICMP echo", "", context.now()) : down(limit, "ICMP echo", context.now()));
    }
    // Split the time over the ports so the check ends within its timeout.
    Duration each = limit.dividedBy(TCP_PORTS.length);
    List<String> tried = new ArrayList<>();
    for (int port : TCP_PORTS) {
      long t0 = System.nanoTime();
      String how;
      try (Socket s = Remote.connect(config.host(), port, each)) {
        how = "TCP port " + port;
      } catch (ConnectException e) {
        if (!String.valueOf(e.getMessage())
            .toLowerCase(java.util.Locale.ROOT)
            .contains("refused")) {
          tried.add(port + ": " + Remote.why(e, each));
          continue;
        }
        how = "TCP port " + port + " (connection refused)";
      } catch (IOException e) {
        tried.add(port + ": " + Remote.why(e, each));
        continue;
      }
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      return List.of(ok(took, how, "; no ICMP: the agent lacks CAP_NET_RAW", context.now()));
    }
    return List.of(
        new CheckResult(
            name(),
            kind(),
            Status.CRITICAL,
            "PING CRITICAL - "
                + config.host()
                + " does not answer on TCP ports 7, 22, 80 ("
                + String.join(", ", tried)
                + "); no ICMP: the agent lacks CAP_NET_RAW",
            context.now(),
            List.of()));
  }

  private CheckResult ok(Duration took, String how, String note, long now) {
    Status status = Remote.ofTime(took, config.warning(), config.critical());
    return new CheckResult(
        name(),
        kind(),
        status,
        "PING "
            + status
            + " - "
            + config.host()
            + " answers "
            + how
            + " in "
            + Remote.seconds(took)
            + Remote.crossed(status, config.warning(), config.critical())
            + note,
        now,
        List.of(
            Remote.time(
                "ping_seconds",
                Map.of("target", config.host()),
                took,
                config.warning(),
                config.critical())));
  }

  private CheckResult down(Duration limit, String how, long now) {
    return new CheckResult(
        name(),
        kind(),
        Status.CRITICAL,
        "PING CRITICAL - "
            + config.host()
            + " does not answer "
            + how
            + " within "
            + CheckRunner.format(limit),
        now,
        List.of());
  }

  /** True when the process has CAP_NET_RAW in its effective set (root normally has). */
  static boolean mayUseIcmp(Path procSelfStatus) {
    String status = SysText.read(procSelfStatus);
    return status != null && mayUseIcmp(status);
  }

  /** The same, from the text of {@code /proc/self/status}; pure. */
  static boolean mayUseIcmp(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("CapEff:")) {
        long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        if ((caps >>> CAP_NET_RAW & 1) == 1) {
          return true;
        }
      }
    }
    return false;
  }
}
