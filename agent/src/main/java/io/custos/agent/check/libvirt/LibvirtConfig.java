package io.custos.agent.check.libvirt;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import io.custos.agent.check.ToolPaths;
import io.custos.common.units.Percent;
import java.util.List;

/**
 * Configuration of the {@code libvirt} check: the domains of a KVM/QEMU host through {@code virsh}.
 *
 * <pre>{@code
 * - { type: libvirt, expect_running: [web, db] }
 * - { type: libvirt, uri: "qemu:///system", expect_running: [web], cpu_warning: 90% }
 * }</pre>
 *
 * @param uri the libvirt connection URI, virsh {@code -c}; default virsh's own ({@code
 *     qemu:///system} for root)
 * @param expectRunning the {@code expect_running} key: domains that must be running; one that is
 *     shut off, crashed or not defined is CRITICAL, one paused or suspended WARNING
 * @param cpuWarning the {@code cpu_warning} key: a domain's CPU use, in percent of its vCPUs
 *     between two runs, at or above which it is WARNING; default none
 * @param cpuCritical the {@code cpu_critical} key; default none
 * @param paths where {@code virsh} is when not on {@code PATH} ({@link ToolPaths})
 */
public record LibvirtConfig(
    String uri,
    @JsonProperty("expect_running") List<String> expectRunning,
    @JsonProperty("cpu_warning") Percent cpuWarning,
    @JsonProperty("cpu_critical") Percent cpuCritical,
    ToolPaths paths)
    implements CheckKind {

  public LibvirtConfig {
    expectRunning = expectRunning == null ? List.of() : List.copyOf(expectRunning);
    for (String d : expectRunning) {
      if (d == null || d.isBlank()) {
        throw new IllegalArgumentException(
            "expect_running: expected domain names, got an empty one");
      }
    }
    if (cpuWarning != null && cpuCritical != null) {
      Levels.requireBelow("cpu_warning", cpuWarning, "cpu_critical", cpuCritical);
    }
    paths = paths == null ? ToolPaths.PATH : paths;
  }

  /** Every domain reported, none expected. */
  public static LibvirtConfig defaults() {
    return new LibvirtConfig(null, null, null, null, null);
  }

  @Override
  public String type() {
    return "libvirt";
  }
}
