package io.custos.agent.check.host;

import io.custos.agent.check.CheckKind;

/**
 * Configuration of the {@code systemd} check: the active state of a unit.
 *
 * <pre>{@code
 * - { type: systemd, unit: nginx.service }
 * }</pre>
 *
 * @param unit the unit; {@code .service} is added when it has no suffix
 */
public record SystemdConfig(String unit) implements CheckKind {

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
  }

  /** Every key at its default. */
  public static SystemdConfig defaults() {
    return new SystemdConfig(null);
  }

  @Override
  public String type() {
    return "systemd";
  }
}
