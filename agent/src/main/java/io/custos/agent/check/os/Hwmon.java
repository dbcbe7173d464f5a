package io.custos.agent.check.os;

import io.custos.agent.check.Celsius;
import io.custos.agent.check.Levels;
import io.custos.common.wire.Status;
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
   * @param flags the channel's alarm and fault files that read 1, by file name ({@code
   *     temp1_crit_alarm}, {@code fan2_fault}): the driver's own verdict, see {@link #flagStatus()}
   */
  public record Sensor(
      String kind,
      String id,
      String label,
      double value,
      Double min,
      Double max,
      Double crit,
      List<String> flags) {
    public Sensor {
      flags = flags == null ? List.of() : List.copyOf(flags);
    }

    /** A reading without flags. */
    public Sensor(
        String kind, String id, String label, double value, Double min, Double max, Double crit) {
      this(kind, id, label, value, min, max, crit, List.of());
    }

    /**
     * The flags that mean something: every {@code _fault}; an alarm only when the limit it compares
     * against is set. Super-I/O chips whose limits the firmware never programmed (nct6775 family:
     * {@code in1: +1.84 V (min = +0.00 V, max = +0.00 V) ALARM}, {@code SYSTIN high = +0.0°C
     * ALARM}) raise alarms against 0; a fan alarm without a fan minimum, or any alarm on a reading
     * whose limits contradict, is that kind of noise and is not counted.
     */
    public List<String> alarms() {
      List<String> out = new ArrayList<>();
      boolean limitsSet = max != null && max > 0 && (min == null || max > min);
      for (String f : flags) {
        boolean trusted;
        if (f.endsWith("_fault")) {
          trusted = true;
        } else if (implausible() != null) {
          trusted = false;
        } else if (f.endsWith("_crit_alarm")) {
          trusted = crit == null || crit > 0;
        } else if (f.endsWith("_lcrit_alarm") || f.endsWith("_emergency_alarm")) {
          trusted = true;
        } else if (f.endsWith("_max_alarm")) {
          trusted = limitsSet;
        } else if (f.endsWith("_min_alarm")) {
          trusted = min != null && min > 0;
        } else {
          trusted = kind.equals("fan") ? min != null && min > 0 : limitsSet;
        }
        if (trusted) {
          out.add(f);
        }
      }
      return out;
    }

    /**
     * What the driver's own flags say (Linux Documentation/hwmon/sysfs-interface), counting only
     * {@link #alarms()}: a fan's {@code _fault} (the fan failed) and any {@code _crit_alarm},
     * {@code _lcrit_alarm} or {@code _emergency_alarm} are CRITICAL; any other {@code _alarm}
     * ({@code _max_alarm}, {@code _min_alarm}, the chip's plain {@code _alarm}) and a temperature
     * or voltage channel's {@code _fault} (its diode or input is open or shorted, so its reading
     * means nothing) are WARNING; OK without flags.
     */
    public Status flagStatus() {
      Status s = Status.OK;
      for (String f : alarms()) {
        if (f.endsWith("_fault")) {
          s = s.worse(kind.equals("fan") ? Status.CRITICAL : Status.WARNING);
        } else if (f.endsWith("_crit_alarm") || f.endsWith("_emergency_alarm")) {
          s = s.worse(Status.CRITICAL);
        } else {
          s = s.worse(Status.WARNING);
        }
      }
      return s;
    }

    /** True when the driver says the channel itself is broken: its reading is not judged. */
    public boolean faulty() {
      return flags.stream().anyMatch(f -> f.endsWith("_fault"));
    }

    /** True when {@link #alarms()} has something to report. */
    public boolean alarmed() {
      return !alarms().isEmpty();
    }

    /** {@code CPU Temp 91C: driver alarm temp1_crit_alarm}, for the problems list. */
    public String flagText() {
      boolean fault = faulty();
      return label
          + (fault && !kind.equals("fan") ? "" : " " + show())
          + ": "
          + (fault ? (kind.equals("fan") ? "fan failed" : "sensor fault") : "driver alarm")
          + " ("
          + String.join(", ", alarms())
          + ")";
    }

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
                  scaled(SysText.readLong(d.resolve(prefix + "_crit")), scale),
                  flags(d, prefix)));
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

  /** The {@code <prefix>_*alarm} and {@code <prefix>_fault} files of a channel that read 1. */
  private static List<String> flags(Path dir, String prefix) {
    List<String> out = new ArrayList<>();
    for (String f : SysText.list(dir)) {
      if (f.startsWith(prefix + "_")
          && (f.endsWith("_alarm") || f.endsWith("_fault"))
          && Long.valueOf(1).equals(SysText.readLong(dir.resolve(f)))) {
        out.add(f);
      }
    }
    java.util.Collections.sort(out);
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
