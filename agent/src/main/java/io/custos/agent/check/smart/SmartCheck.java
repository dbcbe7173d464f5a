package io.custos.agent.check.smart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.HardwareTool;
import io.custos.agent.check.Schedule;
import io.custos.common.match.Globs;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Disk health from {@code smartctl --json -a} (smartmontools 7+), one service per physical disk,
 * {@code SMART /dev/sda}; a disk behind a RAID controller is named by its address as well ({@code
 * SMART /dev/sda megaraid,1}, labels {@code device} and {@code controller}), so two disks behind
 * one controller never share a service or a series. See {@link SmartConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: smart, interval: 30m }
 * }</pre>
 *
 * <p>Disks come from {@code smartctl --scan-open --json} (with the {@code -d} type it found) unless
 * listed. Each is read with {@code --nocheck=standby}, so a sleeping disk is not spun up (OK "in
 * standby"). Judged, worst wins:
 *
 * <ul>
 *   <li>CRITICAL: the drive's self-assessment FAILED ({@code smart_status.passed} false, exit bit
 *       3), a pre-failure attribute at or below its threshold now (bit 4), NVMe {@code
 *       critical_warning} set or available spare below its threshold, wear ({@code
 *       percentage_used}) at {@code wear_critical}, temperature at {@code temperature_critical};
 *   <li>WARNING: reallocated (5), reported uncorrectable (187), pending (197) or offline
 *       uncorrectable (198) sectors above 0, NVMe media errors above 0, an attribute below
 *       threshold in the past (bit 5), errors in the self-test log (bit 7), wear or temperature at
 *       their warning levels;
 *   <li>noted only: errors in the ATA error log (bit 6), which old disks carry for years.
 * </ul>
 *
 * The drive's own assessment (PASSED/FAILED, attributes failing now, NVMe critical warning) is
 * judged before any limit of ours. Exit status bits as smartctl(8) "RETURN VALUES" defines them. A
 * device without SMART (an unknown USB bridge, {@code smart_support.available} false, a RAID volume
 * such as an Intel RST volume that smartctl opens but finds no SMART data on) is OK "no SMART data
 * (reason); not judged", never an alarm. A temperature that cannot be true is skipped as the
 * temperature check skips it.
 *
 * <p>Metrics as prometheus-community/smartctl_exporter names them, label {@code device}: {@code
 * smartctl_device_smart_status}, {@code smartctl_device_temperature}, {@code
 * smartctl_device_attribute} (raw values of 5, 187, 188, 197, 198), {@code
 * smartctl_device_power_on_seconds}, {@code smartctl_device_percentage_used}, {@code
 * smartctl_device_available_spare}, {@code smartctl_device_media_errors}, {@code
 * smartctl_device_critical_warning}, {@code smartctl_device_smartctl_exit_status}.
 *
 * <p>Failure behaviour: no smartctl is UNKNOWN "smartctl not found (package smartmontools)"; a hung
 * smartctl is killed at the timeout (default 30s) and UNKNOWN; smartctl older than 7 (no JSON) or a
 * disk it cannot open (not root) is UNKNOWN for that disk with the reason.
 */
public final class SmartCheck implements Check {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SmartConfig config;
  private final Schedule schedule;
  private final CommandRunner runner;

  public SmartCheck(SmartConfig config) {
    this(config, CommandRunner.SYSTEM);
  }

  /** With every shared key at the kind's default. */
  public SmartCheck(SmartConfig config, CommandRunner runner) {
    this(config, config.defaultSchedule(), runner);
  }

  /**
   * The check for one {@code checks:} entry: its own keys, its shared keys ({@code name}, {@code
   * timeout}), and the runner through which it starts programs.
   */
  public SmartCheck(SmartConfig config, Schedule schedule, CommandRunner runner) {
    this.config = config;
    this.schedule = schedule;
    this.runner = runner;
  }

  @Override
  public String kind() {
    return "smart";
  }

  @Override
  public String name() {
    return "SMART";
  }

  /** A disk to read: its name and smartctl's {@code -d} type, or null for smartctl's choice. */
  record Device(String name, String type) {
    /**
     * {@code SMART /dev/sda}, or for a disk behind a controller its address too: {@code SMART
     * /dev/sda megaraid,1}, so two disks behind one controller are two services.
     */
    String service() {
      String address = SmartJudgement.controllerAddress(type);
      return "SMART " + name + (address == null ? "" : " " + address);
    }
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws Exception {
    HardwareTool tool =
        new HardwareTool(
            runner, "smartmontools", Schedule.ownTimeout(schedule.timeout()), config.paths());
    Set<Device> devices = new LinkedHashSet<>();
    try {
      if (config.devices().isEmpty()) {
        CommandRunner.Output o = tool.run(List.of("smartctl", "--scan-open", "--json"));
        devices.addAll(parseScan(o.stdout()));
      } else {
        for (String d : config.devices()) {
          String[] f = d.strip().split("\\s+");
          devices.add(new Device(f[0], f.length > 1 ? f[1] : null));
        }
      }
    } catch (HardwareTool.Failure e) {
      return List.of(unknown(name(), e.getMessage(), context.now()));
    }
    devices.removeIf(d -> Globs.any(config.exclude(), d.name()));
    if (devices.isEmpty()) {
      return List.of(
          new CheckResult(
              name(),
              kind(),
              Status.OK,
              "SMART OK - smartctl --scan-open found no disk to check (a VM?)",
              context.now(),
              List.of()));
    }
    List<CheckResult> out = new ArrayList<>();
    for (Device d : devices) {
      String service = d.service();
      List<String> argv = new ArrayList<>(List.of("smartctl", "--json", "-a", "--nocheck=standby"));
      if (d.type() != null) {
        argv.addAll(List.of("-d", d.type()));
      }
      argv.add(d.name());
      try {
        CommandRunner.Output o = tool.run(argv);
        JsonNode json;
        try {
          json = JSON.readTree(o.stdout());
        } catch (java.io.IOException e) {
          json = null;
        }
        if (json == null || !json.isObject()) {
          out.add(
              unknown(
                  service,
                  "smartctl printed no JSON (smartmontools 7 or later is needed): "
                      + HardwareTool.firstLine(o),
                  context.now()));
          continue;
        }
        out.add(judge(service, json, o.exit(), config, context.now()));
      } catch (HardwareTool.Failure e) {
        out.add(unknown(service, e.getMessage(), context.now()));
      }
    }
    return out;
  }

  /** The devices of {@code smartctl --scan-open --json} ({@code devices[].name/type}); pure. */
  static List<Device> parseScan(String json) throws HardwareTool.Failure {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new HardwareTool.Failure(
          "smartctl --scan-open printed no JSON (smartmontools 7 or later is needed)");
    }
    List<Device> out = new ArrayList<>();
    for (JsonNode d : root.path("devices")) {
      String name = d.path("name").asText("");
      if (!name.isEmpty()) {
        String type = d.path("type").asText("");
        out.add(new Device(name, type.isEmpty() ? null : type));
      }
    }
    return out;
  }

  /**
   * One disk's result from smartctl's JSON and its exit status (-1: take {@code
   * smartctl.exit_status} from the JSON); pure. See {@link SmartJudgement}.
   */
  static CheckResult judge(String service, JsonNode json, int exit, SmartConfig config, long now) {
    return SmartJudgement.judge(service, json, exit, config, now);
  }

  private static CheckResult unknown(String service, String why, long now) {
    return new CheckResult(
        service, "smart", Status.UNKNOWN, "SMART UNKNOWN - " + why, now, List.of());
  }
}
