package io.custos.agent.check.remote;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import java.time.Duration;

/**
 * Configuration of the {@code tcp} check: a TCP port accepts connections, and how fast.
 *
 * <pre>{@code
 * - { type: tcp, host: db01, port: 5432, warning: 200ms, critical: 1s }
 * }</pre>
 *
 * @param host host name or address
 * @param port the port
 * @param warning a response time at or above which the check is WARNING; default none
 * @param critical the same for CRITICAL; default none
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record TcpConfig(
    String host,
    Integer port,
    Duration warning,
    Duration critical,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public TcpConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: expected a host name or address");
    }
    if (port == null) {
      throw new IllegalArgumentException("port: expected 1-65535, got nothing");
    }
    Levels.requirePort(port);
    Levels.requireBelow(warning, critical);
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  @Override
  public String type() {
    return "tcp";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
