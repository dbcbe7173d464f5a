package io.custos.agent.check.remote;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import java.time.Duration;

/**
 * Configuration of the {@code ping} check: a host is up.
 *
 * <pre>{@code
 * - { type: ping, host: 10.1.1.253 }
 * - { type: ping, host: gw, warning: 100ms, critical: 500ms }
 * }</pre>
 *
 * @param host host name or address
 * @param warning a response time at or above which the check is WARNING; default none
 * @param critical the same for CRITICAL; default none
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record PingConfig(
    String host,
    Duration warning,
    Duration critical,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public PingConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: expected a host name or address");
    }
    Levels.requireBelow(warning, critical);
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  @Override
  public String type() {
    return "ping";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
