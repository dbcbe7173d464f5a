package io.custos.agent.check.ipmi;

import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the sensor listings of ipmitool and FreeIPMI into one shape; pure functions.
 *
 * <p>Formats (ipmitool(1), ipmi-sensors(8)):
 *
 * <ul>
 *   <li>{@code ipmitool sdr elist}: {@code name | 01h | ok | 3.1 | 33 degrees C}; status {@code
 *       ok}, {@code ns} (no reading, disabled), {@code nc}/{@code lnc}/{@code unc}, {@code
 *       cr}/{@code lcr}/{@code ucr}, {@code nr}/{@code lnr}/{@code unr}; the reading is a value and
 *       unit or, for discrete sensors, the asserted states ({@code Presence detected, Power Supply
 *       AC lost}). {@code ipmitool sdr list} has three columns: {@code name | reading | status}.
 *   <li>{@code ipmitool sensor}: {@code name | value | unit | status | lnr | lcr | lnc | unc | ucr
 *       | unr}, {@code na} where a field is absent: the BMC's own thresholds.
 *   <li>{@code ipmi-sensors} / {@code ipmimonitoring}, table ({@code |}) or {@code
 *       --comma-separated-output}, with or without header, with or without {@code
 *       --output-sensor-thresholds}: {@code ID | Name | Type | State | Reading | Units | [Lower NR
 *       | Lower C | Lower NC | Upper NC | Upper C | Upper NR |] Event}.
 * </ul>
 */
final class IpmiSensors {
  private static final Pattern READING =
      Pattern.compile(
          "(-?\\d+(?:\\.\\d+)?)\\s*(degrees C|RPM|Volts|Watts|Amps|percent)",
          Pattern.CASE_INSENSITIVE);

  private IpmiSensors() {}

  /** What a sensor measures; metric names follow prometheus-community/ipmi_exporter. */
  enum Kind {
    TEMPERATURE("ipmi_temperature_celsius", "C"),
    FAN("ipmi_fan_speed_rpm", null),
    FAN_PERCENT("ipmi_fan_speed_ratio", null),
    VOLTAGE("ipmi_voltage_volts", "V"),
    CURRENT("ipmi_current_amperes", "A"),
    POWER("ipmi_power_watts", "W"),
    DISCRETE("ipmi_sensor_state", null);

    final String metric;
    final String unit;

    Kind(String metric, String unit) {
      this.metric = metric;
      this.unit = unit;
    }
  }

  /**
   * The BMC's thresholds, in the sensor's unit; each may be null.
   *
   * @param lnr lower non-recoverable
   * @param lcr lower critical
   * @param lnc lower non-critical
   * @param unc upper non-critical
   * @param ucr upper critical
   * @param unr upper non-recoverable
   */
  record Thresholds(Double lnr, Double lcr, Double lnc, Double unc, Double ucr, Double unr) {
    static final Thresholds NONE = new Thresholds(null, null, null, null, null, null);

    boolean isEmpty() {
      return equals(NONE);
    }
  }

  /**
   * One sensor.
   *
   * @param id the record id ({@code 01h}, {@code 138}) or empty when the format has none
   * @param name the sensor name as the BMC calls it
   * @param kind what it measures
   * @param value the reading in the kind's unit (fans in percent as 0..100), or null for discrete
   *     sensors and sensors without a reading
   * @param bmcStatus what the BMC or tool says of it: OK, WARNING or CRITICAL; null for "no
   *     reading", disabled, N/A
   * @param event the asserted states of a discrete sensor ({@code Presence detected}), or empty
   * @param limits the BMC's thresholds
   */
  record Sensor(
      String id,
      String name,
      Kind kind,
      Double value,
      Status bmcStatus,
      String event,
      Thresholds limits) {

    Sensor withLimits(Thresholds t) {
      return new Sensor(id, name, kind, value, bmcStatus, event, t);
    }
  }

  /**
   * The lines of {@code ipmitool sdr elist} (five columns) or {@code ipmitool sdr list} (three).
   */
  static List<Sensor> parseSdr(String text) {
    List<Sensor> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = split(line, "\\|");
      if (f.length != 3 && f.length != 5) {
        continue;
      }
      String name = f[0];
      String id = f.length == 5 ? f[1] : "";
      String status = f.length == 5 ? f[2] : f[2];
      String reading = f.length == 5 ? f[4] : f[1];
      Status bmc = ipmitoolStatus(status);
      Matcher m = READING.matcher(reading);
      if (m.matches()) {
        out.add(
            new Sensor(
                id,
                name,
                kindOf(m.group(2)),
                Double.parseDouble(m.group(1)),
                bmc,
                "",
                Thresholds.NONE));
      } else {
        boolean noReading =
            reading.isEmpty()
                || reading.equalsIgnoreCase("no reading")
                || reading.equalsIgnoreCase("disabled")
                || reading.startsWith("0x");
        out.add(
            new Sensor(
                id,
                name,
                Kind.DISCRETE,
                null,
                status.equals("ns") ? null : bmc,
                noReading ? "" : reading,
                Thresholds.NONE));
      }
    }
    return out;
  }

  /** The lines of {@code ipmitool sensor}: readings with the BMC's six thresholds. */
  static List<Sensor> parseIpmitoolSensor(String text) {
    List<Sensor> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = split(line, "\\|");
      if (f.length < 10) {
        continue;
      }
      Double value = number(f[1]);
      String unit = f[2];
      Kind kind =
          unit.equalsIgnoreCase("discrete") || unit.isEmpty() ? Kind.DISCRETE : kindOf(unit);
      Thresholds t =
          new Thresholds(
              number(f[4]), number(f[5]), number(f[6]), number(f[7]), number(f[8]), number(f[9]));
      out.add(
          new Sensor(
              "",
              f[0],
              kind,
              kind == Kind.DISCRETE ? null : value,
              kind == Kind.DISCRETE ? null : ipmitoolStatus(f[3]),
              "",
              t));
    }
    return out;
  }

  /**
   * Adds the thresholds of {@code ipmitool sensor} to the sensors of {@code sdr elist}, matching
   * the n-th sensor of a name with the n-th of that name (Dell BMCs repeat names such as {@code
   * Temp}).
   */
  static List<Sensor> withThresholds(List<Sensor> sdr, List<Sensor> withLimits) {
    Map<String, List<Thresholds>> byName = new HashMap<>();
    for (Sensor s : withLimits) {
      byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s.limits());
    }
    Map<String, Integer> seen = new HashMap<>();
    List<Sensor> out = new ArrayList<>();
    for (Sensor s : sdr) {
      int n = seen.merge(s.name(), 1, Integer::sum) - 1;
      List<Thresholds> t = byName.get(s.name());
      out.add(t != null && n < t.size() ? s.withLimits(t.get(n)) : s);
    }
    return out;
  }

  /** The lines of FreeIPMI's {@code ipmi-sensors} or {@code ipmimonitoring}, table or CSV. */
  static List<Sensor> parseFreeIpmi(String text) {
    List<Sensor> out = new ArrayList<>();
    List<String> header = null;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String sep = line.contains("|") ? "\\|" : ",";
      String[] f = split(line, sep);
      if (f.length > 0 && f[0].equalsIgnoreCase("ID")) {
        header = List.of(f).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        continue;
      }
      List<String> cols = header != null ? header : defaultColumns(f.length);
      if (cols == null || f.length < cols.size() - 1) {
        continue;
      }
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < cols.size() && i < f.length; i++) {
        row.put(cols.get(i), f[i]);
      }
      out.add(freeIpmiSensor(row));
    }
    return out;
  }

  private static List<String> defaultColumns(int n) {
    return switch (n) {
      case 6 -> List.of("id", "name", "type", "reading", "units", "event");
      case 7 -> List.of("id", "name", "type", "state", "reading", "units", "event");
      case 12 ->
          List.of(
              "id",
              "name",
              "type",
              "reading",
              "units",
              "lower nr",
              "lower c",
              "lower nc",
              "upper nc",
              "upper c",
              "upper nr",
              "event");
      case 13 ->
          List.of(
              "id",
              "name",
              "type",
              "state",
              "reading",
              "units",
              "lower nr",
              "lower c",
              "lower nc",
              "upper nc",
              "upper c",
              "upper nr",
              "event");
      default -> null;
    };
  }

  private static Sensor freeIpmiSensor(Map<String, String> row) {
    String type = row.getOrDefault("type", "");
    String units = row.getOrDefault("units", "N/A");
    Double value = number(row.getOrDefault("reading", "N/A"));
    Kind kind =
        switch (units) {
          case "C" -> Kind.TEMPERATURE;
          case "RPM" -> Kind.FAN;
          case "V" -> Kind.VOLTAGE;
          case "A" -> Kind.CURRENT;
          case "W" -> Kind.POWER;
          case "%" -> type.equalsIgnoreCase("Fan") ? Kind.FAN_PERCENT : Kind.DISCRETE;
          default -> Kind.DISCRETE;
        };
    String event = row.getOrDefault("event", "").replace("'", "").strip();
    if (event.equals("N/A") || event.equals("OK")) {
      event = "";
    }
    Status state =
        switch (row.getOrDefault("state", "").toLowerCase(Locale.ROOT)) {
          case "nominal" -> Status.OK;
          case "warning" -> Status.WARNING;
          case "critical" -> Status.CRITICAL;
          default -> row.containsKey("state") ? null : value != null ? Status.OK : null;
        };
    if (kind != Kind.DISCRETE && value == null) {
      state = null;
    }
    if (type.startsWith("OEM")) {
      // OEM sensors carry vendor codes (OEM Event = 0007h) FreeIPMI cannot judge.
      state = null;
      event = "";
    }
    Thresholds t =
        new Thresholds(
            number(row.get("lower nr")),
            number(row.get("lower c")),
            number(row.get("lower nc")),
            number(row.get("upper nc")),
            number(row.get("upper c")),
            number(row.get("upper nr")));
    return new Sensor(
        row.getOrDefault("id", ""),
        row.getOrDefault("name", ""),
        kind,
        kind == Kind.DISCRETE ? null : value,
        state,
        event,
        t);
  }

  private static Kind kindOf(String unit) {
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "degrees c" -> Kind.TEMPERATURE;
      case "rpm" -> Kind.FAN;
      case "volts" -> Kind.VOLTAGE;
      case "amps" -> Kind.CURRENT;
      case "watts" -> Kind.POWER;
      case "percent" -> Kind.FAN_PERCENT;
      default -> Kind.DISCRETE;
    };
  }

  /** ipmitool's status column: ok, ns, (l|u)nc, (l|u)cr, (l|u)nr; anything else is no status. */
  static Status ipmitoolStatus(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "ok" -> Status.OK;
      case "nc", "lnc", "unc" -> Status.WARNING;
      case "cr", "lcr", "ucr", "nr", "lnr", "unr" -> Status.CRITICAL;
      default -> null;
    };
  }

  private static String[] split(String line, String sep) {
    if (line.isBlank()) {
      return new String[0];
    }
    String[] f = line.split(sep, -1);
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i].strip();
    }
    return f;
  }

  private static Double number(String s) {
    if (s == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(s.strip());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
