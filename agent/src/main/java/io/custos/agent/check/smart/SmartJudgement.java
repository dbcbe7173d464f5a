package io.custos.agent.check.smart;

import com.fasterxml.jackson.databind.JsonNode;
import io.custos.agent.check.Celsius;
import io.custos.agent.check.Levels;
import io.custos.agent.check.os.Hwmon;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One disk's verdict from {@code smartctl --json -a} and its exit status, for {@link SmartCheck}:
 * first whether there is anything to judge (no SMART, standby, cannot open), then the drive's own
 * assessment, then its counters, then our limits. Each step is one method that adds its problems,
 * notes and metrics; the rules are those of {@link SmartCheck}'s Javadoc. Pure; one instance per
 * judgement.
 *
 * <p>Identity: a disk behind a RAID controller ({@code -d sat+megaraid,1}) is named by its
 * controller address, so its series carry the label {@code controller} ({@code megaraid,1}) beside
 * {@code device}; {@code smartctl_device} (value 1) carries model, serial and WWN as
 * smartctl_exporter's info metric does.
 */
final class SmartJudgement {
  private static final int[] SECTOR_ATTRIBUTES = {5, 187, 188, 197, 198};

  private final JsonNode json;
  private final int exit;
  private final SmartConfig config;
  private final String service;
  private final String device;
  private final String who;
  private final Map<String, String> labels;
  private final String messages;
  private final boolean nvme;
  private final List<Metric> metrics = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private Status status = Status.OK;

  private SmartJudgement(String service, JsonNode json, int exit, SmartConfig config) {
    this.service = service;
    this.json = json;
    this.exit = exit < 0 ? json.path("smartctl").path("exit_status").asInt(0) : exit;
    this.config = config;
    this.device =
        json.path("device").path("name").asText(service.replaceFirst("^SMART ", "").split(" ")[0]);
    String model =
        json.path("model_name")
            .asText(
                (json.path("scsi_vendor").asText("") + " " + json.path("scsi_product").asText(""))
                    .strip());
    model = model.isEmpty() ? json.path("scsi_model_name").asText("") : model;
    String address = controllerAddress(json.path("device").path("type").asText(""));
    this.who =
        device + (address == null ? "" : " " + address) + (model.isEmpty() ? "" : " " + model);
    this.labels =
        address == null
            ? Map.of("device", device)
            : Map.of("device", device, "controller", address);
    this.messages = messages(json);
    this.nvme = !json.path("nvme_smart_health_information_log").isMissingNode();
  }

  /** One disk's result; see {@link SmartCheck#judge}. */
  static CheckResult judge(String service, JsonNode json, int exit, SmartConfig config, long now) {
    SmartJudgement j = new SmartJudgement(service, json, exit, config);
    CheckResult nothingToJudge = j.nothingToJudge(now);
    if (nothingToJudge != null) {
      return nothingToJudge;
    }
    j.identity();
    boolean passed = j.selfAssessment();
    Map<Integer, JsonNode> attributes = j.attributesFailingNow();
    j.exitBits();
    j.sectorCounts(attributes);
    j.scsiCounters();
    j.nvmeHealth();
    j.temperature();
    j.powerOnTime();
    if (passed) {
      j.notes.add(0, "PASSED");
    }
    return j.result(now);
  }

  /**
   * The part of a {@code -d} type that addresses a disk behind a controller ({@code megaraid,1} of
   * {@code sat+megaraid,1}, {@code cciss,0}), or null for a disk smartctl reaches directly.
   */
  static String controllerAddress(String type) {
    if (type == null || !type.contains(",")) {
      return null;
    }
    int plus = type.lastIndexOf('+');
    return type.substring(plus + 1);
  }

  private boolean hasData() {
    return json.has("smart_status")
        || json.has("ata_smart_attributes")
        || json.has("nvme_smart_health_information_log")
        || json.has("scsi_grown_defect_list")
        || json.has("scsi_error_counter_log");
  }

  /**
   * A result when there is no SMART data to judge: a device without SMART (an unknown USB bridge, a
   * RAID volume: {@code smart_support.available} false, or smartctl opened it and found none) is OK
   * "not judged" with the reason; a command-line error, a device that cannot be opened UNKNOWN; a
   * sleeping disk OK. Null when there is data.
   */
  private CheckResult nothingToJudge(long now) {
    List<Metric> exitMetric =
        List.of(Metric.of("smartctl_device_smartctl_exit_status", labels, exit, null));
    if (hasData()) {
      return null;
    }
    boolean noSmart =
        messages.contains("Unknown USB bridge")
            || messages.contains("specify device type")
            || messages.contains("lacks SMART capability")
            || !json.path("smart_support").path("available").asBoolean(true);
    if (noSmart || (exit & 3) == 0) {
      String why = messages.isBlank() ? "the device reports no SMART capability" : firstMessage();
      return new CheckResult(
          service,
          "smart",
          Status.OK,
          "SMART OK - " + who + ": no SMART data (" + why + "); not judged",
          now,
          exitMetric);
    }
    if ((exit & 1) != 0) {
      return unknown("smartctl did not accept the command line: " + firstMessage(), now);
    }
    String m = messages.toUpperCase(Locale.ROOT);
    if (m.contains("STANDBY") || m.contains("SLEEP")) {
      return new CheckResult(
          service,
          "smart",
          Status.OK,
          "SMART OK - " + who + " in standby (not woken)",
          now,
          exitMetric);
    }
    return unknown("cannot open " + device + ": " + firstMessage(), now);
  }

  /** {@code smartctl_device} with model, serial and WWN, as smartctl_exporter's info metric. */
  private void identity() {
    metrics.add(Metric.of("smartctl_device_smartctl_exit_status", labels, exit, null));
    Map<String, String> info = new LinkedHashMap<>(labels);
    String model = json.path("model_name").asText("");
    String serial = json.path("serial_number").asText("");
    String wwn = wwn(json.path("wwn"));
    if (!model.isEmpty()) {
      info.put("model_name", model);
    }
    if (!serial.isEmpty()) {
      info.put("serial_number", serial);
    }
    if (wwn != null) {
      info.put("wwn", wwn);
    }
    metrics.add(Metric.of("smartctl_device", info, 1, null));
  }

  /**
   * The WWN as {@code /dev/disk/by-id/wwn-*} writes it ({@code 0x5000c500a1b2c3d4}) from smartctl's
   * {@code wwn: {naa, oui, id}}, or null.
   */
  static String wwn(JsonNode w) {
    if (!w.path("naa").isNumber() || !w.path("oui").isNumber() || !w.path("id").isNumber()) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "0x%x%06x%09x",
        w.path("naa").asLong(),
        w.path("oui").asLong(),
        w.path("id").asLong());
  }

  /** The drive's own verdict; true when it said PASSED. */
  private boolean selfAssessment() {
    JsonNode passed = json.path("smart_status").path("passed");
    if (passed.isBoolean()) {
      metrics.add(
          Metric.of("smartctl_device_smart_status", labels, passed.asBoolean() ? 1 : 0, null));
    }
    if ((exit & 8) != 0 || (passed.isBoolean() && !passed.asBoolean())) {
      worse(Status.CRITICAL, "FAILED (the drive's own assessment)");
      return false;
    }
    return passed.isBoolean();
  }

  /** ATA attributes the drive says are failing now; returns the attribute table by id. */
  private Map<Integer, JsonNode> attributesFailingNow() {
    Map<Integer, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode a : json.path("ata_smart_attributes").path("table")) {
      byId.put(a.path("id").asInt(), a);
      if ("now".equals(a.path("when_failed").asText())) {
        worse(Status.CRITICAL, a.path("name").asText() + " failing now");
      }
    }
    return byId;
  }

  /** The raw counts of reallocated, pending and uncorrectable sectors: any is WARNING. */
  private void sectorCounts(Map<Integer, JsonNode> byId) {
    for (int id : SECTOR_ATTRIBUTES) {
      JsonNode a = byId.get(id);
      if (a == null) {
        continue;
      }
      long raw = a.path("raw").path("value").asLong();
      String name = a.path("name").asText();
      Map<String, String> l = new LinkedHashMap<>(labels);
      l.put("attribute_id", String.valueOf(id));
      l.put("attribute_name", name);
      l.put("attribute_value_type", "raw");
      metrics.add(Metric.of("smartctl_device_attribute", l, raw, null));
      if (raw > 0 && id != 188) {
        worse(Status.WARNING, raw + " " + sectorWords(id, name));
      }
    }
  }

  /** What smartctl's exit status says beyond the self-assessment (smartctl(8) RETURN VALUES). */
  private void exitBits() {
    if ((exit & 16) != 0 && problems.stream().noneMatch(p -> p.endsWith("failing now"))) {
      worse(Status.CRITICAL, "a pre-failure attribute at or below its threshold");
    }
    if ((exit & 32) != 0) {
      worse(Status.WARNING, "an attribute was at or below its threshold in the past");
    }
    if ((exit & 128) != 0) {
      worse(Status.WARNING, "errors in the self-test log");
    }
    if ((exit & 64) != 0) {
      int count = json.path("ata_smart_error_log").path("summary").path("count").asInt(-1);
      notes.add(count >= 0 ? count + " errors in the error log" : "errors in the error log");
    }
  }

  /** SCSI grown defects and uncorrected errors. */
  private void scsiCounters() {
    JsonNode grown = json.path("scsi_grown_defect_list");
    if (grown.isNumber()) {
      metrics.add(Metric.of("smartctl_scsi_grown_defect_list", labels, grown.asLong(), null));
      if (grown.asLong() > 0) {
        worse(Status.WARNING, grown.asLong() + " grown defects");
      }
    }
    long uncorrected = 0;
    for (JsonNode op : json.path("scsi_error_counter_log")) {
      uncorrected += op.path("total_uncorrected_errors").asLong(0);
    }
    if (uncorrected > 0) {
      worse(Status.WARNING, uncorrected + " uncorrected read/write errors");
    }
  }

  /** NVMe's own critical warning and spare first, then media errors and our wear limits. */
  private void nvmeHealth() {
    if (!nvme) {
      return;
    }
    JsonNode log = json.path("nvme_smart_health_information_log");
    int warning = log.path("critical_warning").asInt(0);
    long media = log.path("media_errors").asLong(0);
    int used = log.path("percentage_used").asInt(0);
    int spare = log.path("available_spare").asInt(100);
    int spareMin = log.path("available_spare_threshold").asInt(0);
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
      worse(Status.CRITICAL, "critical warning " + criticalWarning(warning));
    }
    if (spare < spareMin) {
      worse(Status.CRITICAL, "available spare " + spare + "% below " + spareMin + "%");
    }
    if (media > 0) {
      worse(Status.WARNING, media + " media errors");
    }
    if (used >= config.wearCritical().value()) {
      worse(
          Status.CRITICAL,
          used + "% used (critical " + Levels.pct(config.wearCritical().value()) + ")");
    } else if (used >= config.wearWarning().value()) {
      worse(
          Status.WARNING,
          used + "% used (warning " + Levels.pct(config.wearWarning().value()) + ")");
    } else {
      notes.add(used + "% used");
    }
  }

  /** The current temperature against ours, or the drive's own trip point for SCSI. */
  private void temperature() {
    JsonNode temp = json.path("temperature").path("current");
    if (!temp.isNumber()) {
      return;
    }
    double t = temp.asDouble();
    String implausible =
        new Hwmon.Sensor("temp", device, device, t, null, null, null).implausible();
    if (implausible != null) {
      notes.add("skipped: temperature " + Celsius.text(t) + " (" + implausible + ")");
      return;
    }
    double warn =
        config.temperatureWarning() != null ? config.temperatureWarning().value() : nvme ? 70 : 55;
    // A SCSI disk states its own trip temperature; trust it over the generic default.
    JsonNode trip = json.path("temperature").path("drive_trip");
    double crit =
        config.temperatureCritical() != null
            ? config.temperatureCritical().value()
            : trip.isNumber() && trip.asDouble() > warn ? trip.asDouble() : nvme ? 80 : 65;
    Map<String, String> l = new LinkedHashMap<>(labels);
    l.put("temperature_type", "current");
    metrics.add(new Metric("smartctl_device_temperature", l, t, "C", warn, crit, null, null));
    if (t >= crit) {
      worse(Status.CRITICAL, Celsius.text(t) + " (critical " + Celsius.text(crit) + ")");
    } else if (t >= warn) {
      worse(Status.WARNING, Celsius.text(t) + " (warning " + Celsius.text(warn) + ")");
    } else {
      notes.add(Celsius.text(t));
    }
  }

  private void powerOnTime() {
    JsonNode hours = json.path("power_on_time").path("hours");
    if (hours.isNumber()) {
      metrics.add(
          Metric.of("smartctl_device_power_on_seconds", labels, hours.asLong() * 3600.0, "s"));
    }
  }

  private void worse(Status s, String problem) {
    status = status.worse(s);
    problems.add(problem);
  }

  private CheckResult result(long now) {
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

  private CheckResult unknown(String why, long now) {
    return new CheckResult(
        service, "smart", Status.UNKNOWN, "SMART UNKNOWN - " + why, now, List.of());
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
    String[] names = {
      "spare below threshold",
      "temperature",
      "reliability degraded",
      "read-only",
      "volatile memory backup failed"
    };
    for (int i = 0; i < names.length; i++) {
      if ((w & (1 << i)) != 0) {
        bits.add(names[i]);
      }
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

  private String firstMessage() {
    if (messages.isBlank()) {
      return "no message";
    }
    int nl = messages.indexOf('\n');
    return (nl < 0 ? messages : messages.substring(0, nl)).strip();
  }
}
