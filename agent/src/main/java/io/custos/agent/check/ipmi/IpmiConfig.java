package io.custos.agent.check.ipmi;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.Celsius;
import io.custos.agent.check.CheckKind;
import io.custos.agent.check.ToolPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the {@code ipmi} check: the BMC's sensors and System Event Log.
 *
 * <pre>{@code
 * - { type: ipmi }                                   # local BMC through ipmitool
 * - { type: ipmi, tool: freeipmi, interval: 1m }
 * - { type: ipmi, name: BMC db1, host: db1-bmc.example.net, user: monitor,
 *     password_file: /etc/custos/db1-bmc.password, timeout: 60s }
 * - { type: ipmi, temperature_warning: 70C, temperature_critical: 85C, ignore: ["P2-DIMM*"] }
 * }</pre>
 *
 * @param tool {@code ipmitool} (default; runs {@code ipmitool sdr elist}, {@code ipmitool sensor}
 *     for the thresholds and {@code ipmitool sel elist}) or {@code freeipmi} ({@code ipmi-sensors
 *     --output-sensor-state --output-sensor-thresholds} and {@code ipmi-sel --output-event-state})
 * @param host the BMC's address for a remote BMC (ipmitool {@code -I lanplus -H}, FreeIPMI {@code
 *     -h}); absent reads the local BMC through {@code /dev/ipmi0}
 * @param user the BMC user (ipmitool {@code -U}, FreeIPMI {@code -u})
 * @param passwordFile the {@code password_file} key: a file holding the BMC password, required with
 *     {@code host} so the password never shows on a command line; ipmitool reads it with {@code
 *     -f}, FreeIPMI is given it as {@code --config-file}, so for FreeIPMI it is a freeipmi.conf(5)
 *     file with a {@code password} line
 * @param interfaceName the {@code interface} key: ipmitool's {@code -I}; default {@code lanplus}
 *     with {@code host}
 * @param temperatureWarning the {@code temperature_warning} key: at or above, a temperature is
 *     WARNING; default the BMC's upper non-critical threshold
 * @param temperatureCritical the {@code temperature_critical} key: default the BMC's upper critical
 * @param ignore sensor names (globs) not judged and not reported
 * @param sel whether new SEL entries are reported as service {@code <name> SEL}; default true
 * @param paths where {@code ipmitool}, {@code ipmi-sensors} and {@code ipmi-sel} are when not on
 *     {@code PATH} ({@link ToolPaths})
 * @param stateDirectory the {@code state_directory} key: where the SEL entries already seen are
 *     kept; default {@code /var/lib/custos/state}
 */
public record IpmiConfig(
    String tool,
    String host,
    String user,
    @JsonProperty("password_file") Path passwordFile,
    @JsonProperty("interface") String interfaceName,
    @JsonProperty("temperature_warning") Celsius temperatureWarning,
    @JsonProperty("temperature_critical") Celsius temperatureCritical,
    List<String> ignore,
    Boolean sel,
    @JsonProperty("state_directory") Path stateDirectory,
    ToolPaths paths)
    implements CheckKind {

  /** A BMC answers slowly, remote ones more so: 30s unless set. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  static final Path DEFAULT_STATE_DIRECTORY = Path.of("/var/lib/custos/state");

  public IpmiConfig {
    tool = tool == null ? "ipmitool" : tool;
    if (!tool.equals("ipmitool") && !tool.equals("freeipmi")) {
      throw new IllegalArgumentException(
          "tool: expected ipmitool or freeipmi, got \"" + tool + "\"");
    }
    if (host != null && passwordFile == null) {
      throw new IllegalArgumentException(
          "password_file: required with host (a password on the command line is visible in ps)");
    }
    if (host == null && (passwordFile != null || user != null || interfaceName != null)) {
      throw new IllegalArgumentException(
          "host: required with user, password_file or interface (they are for a remote BMC)");
    }
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
    ignore = ignore == null ? List.of() : List.copyOf(ignore);
    sel = sel == null || sel;
    paths = paths == null ? ToolPaths.PATH : paths;
    stateDirectory = stateDirectory == null ? DEFAULT_STATE_DIRECTORY : stateDirectory;
  }

  /** The local BMC through ipmitool, every key at its default. */
  public static IpmiConfig local() {
    return new IpmiConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "ipmi";
  }

  @Override
  public Duration defaultTimeout() {
    return DEFAULT_TIMEOUT;
  }
}
