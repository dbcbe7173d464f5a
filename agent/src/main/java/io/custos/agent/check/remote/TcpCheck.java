package io.custos.agent.check.remote;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Schedule;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A TCP port accepts connections, and how fast. See {@link TcpConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: tcp, host: db01, port: 5432, warning: 200ms, critical: 1s }
 * }</pre>
 *
 * <p>One service, {@code TCP db01:5432}: {@code TCP OK - 0.001 s response time on db01 port 5432};
 * a slow connect is WARNING/CRITICAL naming the limit; a refused connection or none within the
 * timeout is CRITICAL ({@code TCP CRITICAL - connection refused by db01 port 5432}). Metric {@code
 * tcp_connect_seconds} (label {@code target}).
 */
public final class TcpCheck implements Check {
  private final TcpConfig config;
  private final Schedule schedule;

  public TcpCheck(TcpConfig config) {
    this(config, config.defaultSchedule());
  }

  /**
   * The check for one {@code checks:} entry: its own keys and its shared ones ({@code timeout}).
   */
  public TcpCheck(TcpConfig config, Schedule schedule) {
    this.config = config;
    this.schedule = schedule;
  }

  @Override
  public String kind() {
    return "tcp";
  }

  @Override
  public String name() {
    return "TCP " + config.host() + ":" + config.port();
  }

  @Override
  public List<CheckResult> run(CheckContext context) {
    Duration limit = Schedule.ownTimeout(schedule.timeout());
    String where = config.host() + " port " + config.port();
    long start = System.nanoTime();
    try (Socket s = Remote.connect(config.host(), config.port(), limit)) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Status status = Remote.ofTime(took, config.warning(), config.critical());
      return List.of(
          new CheckResult(
              name(),
              kind(),
              status,
              "TCP "
                  + status
                  + " - "
                  + Remote.seconds(took)
                  + " response time on "
                  + where
                  + Remote.crossed(status, config.warning(), config.critical()),
              context.now(),
              List.of(
                  Remote.time(
                      "tcp_connect_seconds",
                      Map.of("target", config.host() + ":" + config.port()),
                      took,
                      config.warning(),
                      config.critical()))));
    } catch (IOException e) {
      String why = Remote.why(e, limit);
      return List.of(
          new CheckResult(
              name(),
              kind(),
              Status.CRITICAL,
              "TCP CRITICAL - "
                  + why
                  + (why.equals("connection refused") ? " by " : " on ")
                  + where,
              context.now(),
              List.of()));
    }
  }
}
