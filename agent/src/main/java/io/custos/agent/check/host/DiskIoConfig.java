package io.custos.agent.check.host;

import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import io.custos.common.units.Percent;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the {@code diskio} check: disk utilisation from {@code /proc/diskstats} busy
 * time.
 *
 * <pre>{@code
 * - { type: diskio }                                # whole disks; WARNING 90%, CRITICAL 100%, for 15m
 * - { type: diskio, devices: [sda, nvme0n1], critical: 95%, for: 10m }
 * }</pre>
 *
 * @param devices the block devices; default every whole disk (no partitions, loop, ram, zram, dm or
 *     md devices)
 * @param warning the time a device was busy at or above which the check is WARNING; default 90%
 * @param critical the same for CRITICAL; default 100%
 */
public record DiskIoConfig(List<String> devices, Percent warning, Percent critical)
    implements CheckKind {

  public DiskIoConfig {
    devices = devices == null ? List.of() : List.copyOf(devices);
    warning = warning == null ? new Percent(90) : warning;
    critical = critical == null ? new Percent(100) : critical;
    Levels.requireBelow("warning", warning, "critical", critical);
  }

  /** Every key at its default. */
  public static DiskIoConfig defaults() {
    return new DiskIoConfig(null, null, null);
  }

  @Override
  public String type() {
    return "diskio";
  }

  @Override
  public Duration defaultHoldFor() {
    // Saturation is only a problem when it lasts: 15 minutes unless the YAML says otherwise.
    return Duration.ofMinutes(15);
  }
}
