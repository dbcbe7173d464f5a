package io.custos.agent.check.smart;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.Celsius;
import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import io.custos.agent.check.ToolPaths;
import io.custos.common.units.Percent;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the {@code smart} check: disk health through smartctl (smartmontools 7 or later,
 * for {@code --json}).
 *
 * <pre>{@code
 * - { type: smart, interval: 30m }                       # every disk smartctl --scan-open finds
 * - { type: smart, devices: ["/dev/sda", "/dev/bus/0 megaraid,0"], temperature_warning: 50C }
 * - { type: smart, exclude: ["/dev/sdz"], wear_warning: 70% }
 * - { type: smart, paths: { smartctl: /opt/smartmontools/sbin/smartctl } }
 * }</pre>
 *
 * @param devices the disks to check, each {@code DEVICE} or {@code DEVICE TYPE} (TYPE as for
 *     smartctl {@code -d}); default every device of {@code smartctl --scan-open --json}
 * @param exclude device names (globs) not checked
 * @param temperatureWarning the {@code temperature_warning} key: at or above, WARNING; default 55C
 *     (70C for NVMe)
 * @param temperatureCritical the {@code temperature_critical} key: default 65C (80C for NVMe)
 * @param wearWarning the {@code wear_warning} key: NVMe {@code percentage_used} at or above which a
 *     disk is WARNING; default 80%
 * @param wearCritical the {@code wear_critical} key: default 95%
 * @param paths where {@code smartctl} is when not on {@code PATH} ({@link ToolPaths})
 */
public record SmartConfig(
    List<String> devices,
    List<String> exclude,
    @JsonProperty("temperature_warning") Celsius temperatureWarning,
    @JsonProperty("temperature_critical") Celsius temperatureCritical,
    @JsonProperty("wear_warning") Percent wearWarning,
    @JsonProperty("wear_critical") Percent wearCritical,
    ToolPaths paths)
    implements CheckKind {

  /** smartctl reads every disk in turn; 30s unless set. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public SmartConfig {
    devices = devices == null ? List.of() : List.copyOf(devices);
    for (String d : devices) {
      if (d == null || d.isBlank() || d.strip().split("\\s+").length > 2) {
        throw new IllegalArgumentException(
            "devices: expected \"DEVICE\" or \"DEVICE TYPE\" (e.g. \"/dev/bus/0 megaraid,0\"), got \""
                + d
                + "\"");
      }
    }
    java.util.Set<String> listed = new java.util.HashSet<>();
    for (String d : devices) {
      if (!listed.add(String.join(" ", d.strip().split("\\s+")))) {
        throw new IllegalArgumentException(
            "devices: \""
                + d.strip()
                + "\" is listed twice; one disk is one service (a disk behind a controller is"
                + " \"DEVICE TYPE\", e.g. \"/dev/sda sat+megaraid,1\")");
      }
    }
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    if (temperatureWarning != null
        && temperatureCritical != null
        && temperatureWarning.value() >= temperatureCritical.value()) {
      throw new IllegalArgumentException(
          "temperature_warning ("
              + temperatureWarning
              + ") must be below temperature_critical ("
              + temperatureCritical
              + ")");
    }
    paths = paths == null ? ToolPaths.PATH : paths;
    wearWarning = wearWarning == null ? Percent.of(80) : wearWarning;
    wearCritical = wearCritical == null ? Percent.of(95) : wearCritical;
    Levels.requireBelow("wear_warning", wearWarning, "wear_critical", wearCritical);
  }

  /** Every disk smartctl finds, every key at its default. */
  public static SmartConfig all() {
    return new SmartConfig(null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "smart";
  }

  @Override
  public Duration defaultTimeout() {
    return DEFAULT_TIMEOUT;
  }
}
