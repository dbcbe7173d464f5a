package io.custos.agent.check.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import java.time.Duration;

/**
 * Configuration of the {@code systemd} check: the active state of a unit.
 *
 * <pre>{@code
 * - { type: systemd, unit: nginx.service }
 * }</pre>
 *
 * @param unit the unit; {@code .service} is added when it has no suffix
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record SystemdConfig(
    String unit,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public SystemdConfig {
    if (unit == null || unit.isBlank()) {
      throw new IllegalArgumentException("unit: expected a systemd unit such as nginx.service");
    }
    if (!unit.contains(".")) {
      unit = unit + ".service";
    }
    if (!unit.matches("[A-Za-z0-9:_.@\\\\-]+")) {
      throw new IllegalArgumentException("unit: not a unit name \"" + unit + "\"");
    }
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static SystemdConfig defaults() {
    return new SystemdConfig(null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "systemd";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
