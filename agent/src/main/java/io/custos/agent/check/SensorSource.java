package io.custos.agent.check;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the temperature, fans and voltage checks get their readings. On Linux the hwmon reader
 * ({@link Hwmon}) is the primary source: it has labels and each sensor's own limits. OSHI's {@code
 * Sensors} ({@link OshiSensors}) supplies CPU temperature, fan speeds and CPU voltage where hwmon
 * gives none of that kind, and is the only source on other systems (FreeBSD, macOS).
 */
@FunctionalInterface
interface SensorSource {
  /** Every reading the source has under the context's root, implausible ones included. */
  List<Hwmon.Sensor> read(CheckContext context);

  /** Only hwmon and thermal zones under the root: what tests and fixture trees use. */
  SensorSource HWMON = context -> Hwmon.read(context.root());

  /**
   * hwmon first, OSHI for the kinds hwmon lacks. OSHI reads the machine the agent runs on, so it is
   * consulted only when the root is {@code /}, never for a fixture tree or a {@code --root} of
   * another host; it is loaded on first use.
   */
  static SensorSource system() {
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    OshiSensors oshi = new OshiSensors(OshiSensors::systemSensors);
    return context -> {
      List<Hwmon.Sensor> hw = linux ? Hwmon.read(context.root()) : List.of();
      if (!context.root().toAbsolutePath().normalize().equals(Path.of("/"))) {
        return hw;
      }
      return oshi.fillGaps(hw);
    };
  }
}
