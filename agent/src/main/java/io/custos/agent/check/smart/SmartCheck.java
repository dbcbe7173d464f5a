package io.custos.agent.check.smart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.HardwareTool;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import io.custos.agent.check.os.Hwmon;
import io.custos.agent.check.sensors.TemperatureCheck;
import io.custos.common.match.Globs;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Disk health from {@code smartctl --json -a} (smartmontools 7+), one service per disk, {@code
 * SMART /dev/sda}. See {@link SmartConfig} for the YAML:
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
 * Exit status bits as smartctl(8) "RETURN VALUES" defines them. A disk without SMART (an unknown
 * USB bridge, {@code smart_support.available} false) is OK "no SMART data … not judged", never an
 * alarm. A temperature that cannot be true is skipped as the temperature check skips it.
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
  private static final int[] SECTOR_ATTRIBUTES = {5, 187, 188, 197, 198};

  private final SmartConfig config;
  private final CommandRunner runner;

  public SmartCheck(SmartConfig config) {
    this(config, CommandRunner.SYSTEM);
  }

  public SmartCheck(SmartConfig config, CommandRunner runner) {
    this.config = config;
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
  record Device(String name, String type) {}

  @Override
  public List<CheckResult> run(CheckContext context) throws Exception {
    HardwareTool tool =
        new HardwareTool(runner, "smartmontools", Schedule.ownTimeout(config.timeout()));
    List<Device> devices = new ArrayList<>();
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
      String service = "SMART " + d.name();
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

  /** One disk's result from smartctl's JSON and exit status; pure. */
  static CheckResult judge(String service, JsonNode json, int exit, SmartConfig config, long now) {
    String device = json.path("device").path("name").asText(service.replaceFirst("^SMART ", ""));
    String model = json.path("model_name").asText(json.path("scsi_model_name").asText(""));
    String who = device + (model.isEmpty() ? "" : " " + model);
    Map<String, String> labels = Map.of("device", device);
    List<Metric> metrics = new ArrayList<>();
    if (exit < 0) {
      exit = json.path("smartctl").path("exit_status").asInt(0);
    }
    metrics.add(Metric.of("smartctl_device_smartctl_exit_status", labels, exit, null));
    String messages = messages(json);
    boolean hasData =
        json.has("smart_status")
            || json.has("ata_smart_attributes")
            || json.has("nvme_smart_health_information_log");
    if (!hasData
        && (messages.contains("Unknown USB bridge")
            || messages.contains("specify device type")
            || json.path("smart_support").path("available").asBoolean(true) == false)) {
      return new CheckResult(
          service,
          "smart",
          Status.OK,
          "SMART OK - " + who + ": no SMART data (" + firstMessage(messages) + "); not judged",
          now,
          metrics);
    }
    if ((exit & 1) != 0) {
      return unknown(
          service, "smartctl did not accept the command line: " + firstMessage(messages), now);
    }
    if ((exit & 2) != 0 && !hasData) {
      String m = messages.toUpperCase(Locale.ROOT);
      if (m.contains("STANDBY") || m.contains("SLEEP")) {
        return new CheckResult(
            service,
            "smart",
            Status.OK,
            "SMART OK - " + who + " in standby (not woken)",
            now,
            metrics);
      }
      return unknown(service, "cannot open " + device + ": " + firstMessage(messages), now);
    }
    if (!hasData) {
      return unknown(
          service, who + ": smartctl gave no SMART data: " + firstMessage(messages), now);
    }

    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    JsonNode passedNode = json.path("smart_status").path("passed");
    boolean failed = (exit & 8) != 0 || (passedNode.isBoolean() && !passedNode.asBoolean());
    if (passedNode.isBoolean()) {
      metrics.add(
          Metric.of("smartctl_device_smart_status", labels, passedNode.asBoolean() ? 1 : 0, null));
    }
    if (failed) {
      status = Status.CRITICAL;
      problems.add("FAILED (the drive's own assessment)");
    }
    Map<Integer, JsonNode> attributes = new LinkedHashMap<>();
    for (JsonNode a : json.path("ata_smart_attributes").path("table")) {
      attributes.put(a.path("id").asInt(), a);
      if ("now".equals(a.path("when_failed").asText())) {
        status = status.worse(Status.CRITICAL);
        problems.add(a.path("name").asText() + " failing now");
      }
    }
    if ((exit & 16) != 0 && problems.stream().noneMatch(p -> p.endsWith("failing now"))) {
      status = status.worse(Status.CRITICAL);
      problems.add("a pre-failure attribute at or below its threshold");
    }
    if ((exit & 32) != 0) {
      status = status.worse(Status.WARNING);
      problems.add("an attribute was at or below its threshold in the past");
    }
    if ((exit & 128) != 0) {
      status = status.worse(Status.WARNING);
      problems.add("errors in the self-test log");
    }
    if ((exit & 64) != 0) {
      int count = json.path("ata_smart_error_log").path("summary").path("count").asInt(-1);
      notes.add(count >= 0 ? count + " errors in the error log" : "errors in the error log");
    }
    for (int id : SECTOR_ATTRIBUTES) {
      JsonNode a = attributes.get(id);
      if (a == null) {
        continue;
      }
      long raw = a.path("raw").path("value").asLong();
      String name = a.path("name").asText();
      metrics.add(
          Metric.of(
              "smartctl_device_attribute",
              Map.of(
                  "device",
                  device,
                  "attribute_id",
                  String.valueOf(id),
                  "attribute_name",
                  name,
                  "attribute_value_type",
                  "raw"),
              raw,
              null));
      if (raw > 0 && id != 188) {
        status = status.worse(Status.WARNING);
        problems.add(raw + " " + sectorWords(id, name));
      }
    }
    JsonNode grown = json.path("scsi_grown_defect_list");
    if (grown.isNumber()) {
      metrics.add(Metric.of("smartctl_scsi_grown_defect_list", labels, grown.asLong(), null));
      if (grown.asLong() > 0) {
        status = status.worse(Status.WARNING);
        problems.add(grown.asLong() + " grown defects");
      }
    }
    long uncorrected = 0;
    for (JsonNode op : json.path("scsi_error_counter_log")) {
      uncorrected += op.path("total_uncorrected_errors").asLong(0);
    }
    if (uncorrected > 0) {
      status = status.worse(Status.WARNING);
      problems.add(uncorrected + " uncorrected read/write errors");
    }
    JsonNode nvme = json.path("nvme_smart_health_information_log");
    boolean isNvme = !nvme.isMissingNode();
    if (isNvme) {
      int warning = nvme.path("critical_warning").asInt(0);
      long media = nvme.path("media_errors").asLong(0);
      int used = nvme.path("percentage_used").asInt(0);
      int spare = nvme.path("available_spare").asInt(100);
      int spareMin = nvme.path("available_spare_threshold").asInt(0);
      metrics.add(Metric.of("smartctl_device_critical_warning", labels, warning, null));
      metrics.add(Metric.of("smartctl_device_media_errors", labels, media, null));
      metrics.add(
          new Metric(
              "smartctl_device_percentage_used",
              labels,
              used,
              "%",
              config.wearWarning().value(),
              config.wearCritical().value(),
              0.0,
              null));
      metrics.add(Metric.of("smartctl_device_available_spare", labels, spare, "%"));
      metrics.add(Metric.of("smartctl_device_available_spare_threshold", labels, spareMin, "%"));
      if (warning != 0) {
        status = status.worse(Status.CRITICAL);
        problems.add("critical warning " + criticalWarning(warning));
      }
      if (spare < spareMin) {
        status = status.worse(Status.CRITICAL);
        problems.add("available spare " + spare + "% below " + spareMin + "%");
      }
      if (media > 0) {
        status = status.worse(Status.WARNING);
        problems.add(media + " media errors");
      }
      if (used >= config.wearCritical().value()) {
        status = status.worse(Status.CRITICAL);
        problems.add(used + "% used (critical " + Levels.pct(config.wearCritical().value()) + ")");
      } else if (used >= config.wearWarning().value()) {
        status = status.worse(Status.WARNING);
        problems.add(used + "% used (warning " + Levels.pct(config.wearWarning().value()) + ")");
      } else {
        notes.add(used + "% used");
      }
    }
    JsonNode temp = json.path("temperature").path("current");
    if (temp.isNumber()) {
      double t = temp.asDouble();
      String implausible =
          new Hwmon.Sensor("temp", device, device, t, null, null, null).implausible();
      if (implausible != null) {
        notes.add("skipped: temperature " + TemperatureCheck.deg(t) + " (" + implausible + ")");
      } else {
        double warn =
            config.temperatureWarning() != null
                ? config.temperatureWarning().value()
                : isNvme ? 70 : 55;
        // A SCSI disk states its own trip temperature; trust it over the generic default.
        JsonNode trip = json.path("temperature").path("drive_trip");
        double crit =
            config.temperatureCritical() != null
                ? config.temperatureCritical().value()
                : trip.isNumber() && trip.asDouble() > warn ? trip.asDouble() : isNvme ? 80 : 65;
        metrics.add(
            new Metric(
                "smartctl_device_temperature",
                Map.of("device", device, "temperature_type", "current"),
                t,
                "C",
                warn,
                crit,
                null,
                null));
        if (t >= crit) {
          status = status.worse(Status.CRITICAL);
          problems.add(TemperatureCheck.deg(t) + " (critical " + TemperatureCheck.deg(crit) + ")");
        } else if (t >= warn) {
          status = status.worse(Status.WARNING);
          problems.add(TemperatureCheck.deg(t) + " (warning " + TemperatureCheck.deg(warn) + ")");
        } else {
          notes.add(TemperatureCheck.deg(t));
        }
      }
    }
    JsonNode hours = json.path("power_on_time").path("hours");
    if (hours.isNumber()) {
      metrics.add(
          Metric.of("smartctl_device_power_on_seconds", labels, hours.asLong() * 3600.0, "s"));
    }
    if (!failed && passedNode.isBoolean()) {
      notes.add(0, "PASSED");
    }
    List<String> parts = new ArrayList<>(problems);
    parts.addAll(notes);
    return new CheckResult(
        service,
        "smart",
        status,
        "SMART " + status + " - " + who + ": " + String.join(", ", parts),
        now,
        metrics);
  }

  private static String sectorWords(int id, String name) {
    return switch (id) {
      case 5 -> "reallocated sectors";
      case 187 -> "reported uncorrectable errors";
      case 197 -> "pending sectors";
      case 198 -> "offline uncorrectable sectors";
      default -> name;
    };
  }

  /** The set bits of NVMe's critical warning byte (NVMe base specification, SMART log). */
  private static String criticalWarning(int w) {
    List<String> bits = new ArrayList<>();
    if ((w & 1) != 0) {
      bits.add("spare below threshold");
    }
    if ((w & 2) != 0) {
      bits.add("temperature");
    }
    if ((w & 4) != 0) {
      bits.add("reliability degraded");
    }
    if ((w & 8) != 0) {
      bits.add("read-only");
    }
    if ((w & 16) != 0) {
      bits.add("volatile memory backup failed");
    }
    return String.format(Locale.ROOT, "0x%02x", w)
        + (bits.isEmpty() ? "" : " (" + String.join(", ", bits) + ")");
  }

  private static String messages(JsonNode json) {
    List<String> m = new ArrayList<>();
    for (JsonNode n : json.path("smartctl").path("messages")) {
      m.add(n.path("string").asText());
    }
    return String.join("\n", m);
  }

  private static String firstMessage(String messages) {
    if (messages.isBlank()) {
      return "no message";
    }
    int nl = messages.indexOf('\n');
    return (nl < 0 ? messages : messages.substring(0, nl)).strip();
  }

  private static CheckResult unknown(String service, String why, long now) {
    return new CheckResult(
        service, "smart", Status.UNKNOWN, "SMART UNKNOWN - " + why, now, List.of());
  }
}
