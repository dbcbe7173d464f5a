package io.custos.agent.check.os;

import io.custos.agent.check.Celsius;
import io.custos.agent.check.Levels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sensors of {@code <root>/sys/class/hwmon/hwmon*} (and their {@code device/} directory, where
 * older kernels, ACPI power meters and some NVMe drivers keep the attributes) and {@code
 * <root>/sys/class/thermal/thermal_zone*}, in base units: temperatures in °C (the files hold
 * millidegrees), fans in RPM, voltages in V (millivolts), power in W (microwatts, {@code
 * power*_input} or else {@code power*_average}). Shared by the temperature, fans and voltage checks
 * through {@code SensorSource}.
 *
 * <p>Readings that cannot be true are kept but marked ({@link Sensor#implausible()}), so the checks
 * skip them with the reason instead of paging on them.
 */
public final class Hwmon {
  private static final Pattern INPUT = Pattern.compile("(temp|fan|in|power)(\\d+)_(input|average)");

  /** The plausible range of a temperature reading in °C; anything outside is a broken channel. */
  static final double MIN_CELSIUS = -55;

  public static final double MAX_CELSIUS = 150;

  /** Values drivers put in a temperature channel that has no sensor behind it. */
  private static final double[] SENTINEL_CELSIUS = {127, 128, -127, -128, 255, -273.15};

  /** Faster than any fan; 65535 is the u16 "no reading". */
  static final double MAX_RPM = 30_000;

  /** More than any one power meter of a server measures. */
  static final double MAX_WATTS = 20_000;

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
  public record Sensor(
      String kind, String id, String label, double value, Double min, Double max, Double crit) {

    /** Why this reading cannot be true, or null when it can; pure. */
    public String implausible() {
      if (min != null && max != null && min > max) {
        return "limits contradict (min "
            + Levels.number(min)
            + " > max "
            + Levels.number(max)
            + ")";
      }
      switch (kind) {
        case "temp" -> {
          for (double x : SENTINEL_CELSIUS) {
            if (Math.abs(value - x) < 0.001) {
              return x == -273.15 ? "-273.15C: not ready" : "driver sentinel";
            }
          }
          if (value < MIN_CELSIUS || value > MAX_CELSIUS) {
            return "outside " + (long) MIN_CELSIUS + "C.." + (long) MAX_CELSIUS + "C";
          }
        }
        case "fan" -> {
          if (value < 0 || value >= MAX_RPM) {
            return "outside 0..30000 RPM";
          }
        }
        case "power" -> {
          if (value < 0 || value > MAX_WATTS) {
            return "outside 0..20000W";
          }
        }
        default -> {
          // voltages have their own limits
        }
      }
      return null;
    }

    /** The reading as shown in output: {@code 99C}, {@code 1200 RPM}, {@code 3.30V}. */
    String show() {
      return switch (kind) {
        case "temp" -> Celsius.text(value);
        case "fan" -> (long) value + " RPM";
        case "power" -> String.format(java.util.Locale.ROOT, "%.1fW", value);
        default -> String.format(java.util.Locale.ROOT, "%.2fV", value);
      };
    }

    /** {@code SYSTIN 3892314C (outside -55C..150C)} for the output's "skipped" list. */
    public String skipped() {
      return label + " " + show() + " (" + implausible() + ")";
    }
  }

  /** Every hwmon and thermal-zone sensor under {@code root}, hwmon first, in directory order. */
  public static List<Sensor> read(Path root) {
    List<Sensor> out = new ArrayList<>();
    Path hwmon = root.resolve("sys/class/hwmon");
    for (String h : SysText.list(hwmon)) {
      Path dir = hwmon.resolve(h);
      Path device = dir.resolve("device");
      String chip = SysText.read(dir.resolve("name"));
      if (chip == null) {
        chip = SysText.read(device.resolve("name"));
      }
      if (chip == null) {
        chip = h;
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Path d : List.of(dir, device)) {
        for (String f : SysText.list(d)) {
          Matcher m = INPUT.matcher(f);
          if (!m.matches()) {
            continue;
          }
          String prefix = m.group(1) + m.group(2);
          // power1_input and power1_average are one channel; the first found wins
          if (seen.contains(prefix)
              || m.group(3).equals("average") && Files.exists(d.resolve(prefix + "_input"))
              || m.group(3).equals("average") && !m.group(1).equals("power")) {
            continue;
          }
          Long raw = SysText.readLong(d.resolve(f));
          if (raw == null) {
            continue;
          }
          seen.add(prefix);
          double scale = scale(m.group(1));
          String label = SysText.read(d.resolve(prefix + "_label"));
          out.add(
              new Sensor(
                  m.group(1),
                  chip + "/" + prefix,
                  label == null || label.isEmpty() ? chip + " " + prefix : label,
                  raw * scale,
                  scaled(SysText.readLong(d.resolve(prefix + "_min")), scale),
                  scaled(SysText.readLong(d.resolve(prefix + "_max")), scale),
                  scaled(SysText.readLong(d.resolve(prefix + "_crit")), scale)));
        }
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
