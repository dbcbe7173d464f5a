package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * Where the programs behind the hardware checks are installed, for hosts that keep them off {@code
 * PATH} (vendor bundles under {@code /opt}) and for tests that replay captures. The {@code paths}
 * key of the {@code smart}, {@code ipmi} and {@code libvirt} checks:
 *
 * <pre>{@code
 * - { type: smart, paths: { smartctl: /opt/smartmontools/sbin/smartctl } }
 * - { type: ipmi, tool: freeipmi, paths: { ipmi_sensors: /usr/local/sbin/ipmi-sensors,
 *                                         ipmi_sel: /usr/local/sbin/ipmi-sel } }
 * - { type: libvirt, paths: { virsh: /usr/local/bin/virsh } }
 * }</pre>
 *
 * Each is an absolute path; a program left out is looked up on {@code PATH} as before.
 *
 * @param smartctl smartmontools' {@code smartctl}
 * @param ipmitool {@code ipmitool}
 * @param ipmiSensors the {@code ipmi_sensors} key: FreeIPMI's {@code ipmi-sensors}
 * @param ipmiSel the {@code ipmi_sel} key: FreeIPMI's {@code ipmi-sel}
 * @param virsh libvirt's {@code virsh}
 */
public record ToolPaths(
    Path smartctl,
    Path ipmitool,
    @JsonProperty("ipmi_sensors") Path ipmiSensors,
    @JsonProperty("ipmi_sel") Path ipmiSel,
    Path virsh) {

  /** Every program from {@code PATH}. */
  public static final ToolPaths PATH = new ToolPaths(null, null, null, null, null);

  public ToolPaths {
    requireAbsolute("smartctl", smartctl);
    requireAbsolute("ipmitool", ipmitool);
    requireAbsolute("ipmi_sensors", ipmiSensors);
    requireAbsolute("ipmi_sel", ipmiSel);
    requireAbsolute("virsh", virsh);
  }

  private static void requireAbsolute(String key, Path p) {
    if (p != null && !p.isAbsolute()) {
      throw new IllegalArgumentException(key + ": expected an absolute path, got \"" + p + "\"");
    }
  }

  /** The program to start for {@code program} ({@code ipmi-sel}): its configured path or itself. */
  public String resolve(String program) {
    Path p =
        switch (program) {
          case "smartctl" -> smartctl;
          case "ipmitool" -> ipmitool;
          case "ipmi-sensors" -> ipmiSensors;
          case "ipmi-sel" -> ipmiSel;
          case "virsh" -> virsh;
          default -> null;
        };
    return p == null ? program : p.toString();
  }
}
