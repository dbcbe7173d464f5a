package io.custos.agent.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sensors of {@code <root>/sys/class/hwmon/hwmon*} and {@code <root>/sys/class/thermal/
 * thermal_zone*}, in base units: temperatures in °C (the files hold millidegrees), fans in RPM,
 * voltages in V (millivolts), power in W (microwatts). Shared by the temperature, fans and voltage
 * checks.
 */
final class Hwmon {
  private static final Pattern INPUT = Pattern.compile("(temp|fan|in|power)(\\d+)_input");

  private Hwmon() {}

  /**
   * One sensor reading.
   *
   * @param kind {@code temp}, {@code fan}, {@code in} or {@code power}
   * @param id {@code coretemp/temp1}, or {@code thermal/thermal_zone0}
   * @param label the sensor's label ({@code Package id 0}), or its chip and file name
   * @param value the reading in base units
   * @param min lower limit or null
   * @param max upper limit ({@code _max}) or null
   * @param crit critical limit ({@code _crit}) or null
   */
  record Sensor(
      String kind, String id, String label, double value, Double min, Double max, Double crit) {}

  /** Every hwmon and thermal-zone sensor under {@code root}, hwmon first, in directory order. */
  static List<Sensor> read(Path root) {
    List<Sensor> out = new ArrayList<>();
    Path hwmon = root.resolve("sys/class/hwmon");
    for (String h : SysText.list(hwmon)) {
      Path dir = hwmon.resolve(h);
      String chip = SysText.read(dir.resolve("name"));
      if (chip == null) {
        chip = h;
      }
      for (String f : SysText.list(dir)) {
        Matcher m = INPUT.matcher(f);
        if (!m.matches()) {
          continue;
        }
        String prefix = m.group(1) + m.group(2);
        Long raw = SysText.readLong(dir.resolve(f));
        if (raw == null) {
          continue;
        }
        double scale = scale(m.group(1));
        String label = SysText.read(dir.resolve(prefix + "_label"));
        out.add(
            new Sensor(
                m.group(1),
                chip + "/" + prefix,
                label == null || label.isEmpty() ? chip + " " + prefix : label,
                raw * scale,
                scaled(SysText.readLong(dir.resolve(prefix + "_min")), scale),
                scaled(SysText.readLong(dir.resolve(prefix + "_max")), scale),
                scaled(SysText.readLong(dir.resolve(prefix + "_crit")), scale)));
      }
    }
    Path thermal = root.resolve("sys/class/thermal");
    for (String z : SysText.list(thermal)) {
      if (!z.startsWith("thermal_zone")) {
        continue;
      }
      Long raw = SysText.readLong(thermal.resolve(z).resolve("temp"));
      if (raw == null) {
        continue;
      }
      String type = SysText.read(thermal.resolve(z).resolve("type"));
      out.add(
          new Sensor(
              "temp",
              "thermal/" + z,
              type == null ? z : type + " (" + z + ")",
              raw / 1000.0,
              null,
              null,
              null));
    }
    return out;
  }

  private static double scale(String kind) {
    return switch (kind) {
      case "fan" -> 1;
      case "power" -> 1e-6;
      default -> 1e-3;
    };
  }

  private static Double scaled(Long v, double scale) {
    return v == null ? null : v * scale;
  }
}
