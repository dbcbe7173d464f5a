package io.custos.agent.check.sensors;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.os.Hwmon;
import io.custos.agent.check.os.OshiSensors;
import io.custos.agent.check.os.Platform;
import java.util.List;

/**
 * Where the temperature, fans and voltage checks get their readings. On Linux the hwmon reader
 * ({@link Hwmon}) is the primary source: it has labels and each sensor's own limits. OSHI's {@code
 * Sensors} ({@link OshiSensors}) supplies CPU temperature, fan speeds and CPU voltage where hwmon
 * gives none of that kind, and is the only source on other systems (FreeBSD, macOS).
 */
@FunctionalInterface
public interface SensorSource {
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
    OshiSensors oshi = new OshiSensors(OshiSensors::systemSensors);
    return context -> {
      List<Hwmon.Sensor> hw = Platform.oshi(context) ? List.of() : Hwmon.read(context.root());
      return Platform.live(context.root()) ? oshi.fillGaps(hw) : hw;
    };
  }
}
