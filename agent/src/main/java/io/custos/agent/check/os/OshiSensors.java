package io.custos.agent.check.os;

import io.custos.agent.check.CheckRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.hardware.Sensors;

/**
 * Readings from OSHI's {@link Sensors}: CPU temperature (°C), fan speeds (RPM) and CPU voltage (V),
 * as {@link Hwmon.Sensor}s with ids {@code oshi/cpu}, {@code oshi/fan1}, ... OSHI says "no reading"
 * with 0 or NaN; those are left out. OSHI (and JNA under it) is loaded on the first call that needs
 * it, not at start-up, to keep the agent's footprint down where hwmon suffices.
 *
 * <p>Failure behaviour: when OSHI cannot be loaded or throws, it adds nothing and logs once.
 */
public final class OshiSensors {
  private static final Logger LOG = LoggerFactory.getLogger(OshiSensors.class);

  private final Supplier<Sensors> supplier;
  private Sensors sensors;
  private boolean failed;

  /**
   * @param supplier gives OSHI's sensors; called at most once, on first need
   */
  public OshiSensors(Supplier<Sensors> supplier) {
    this.supplier = supplier;
  }

  /** The live machine's sensors through OSHI. */
  public static Sensors systemSensors() {
    return new oshi.SystemInfo().getHardware().getSensors();
  }

  /**
   * {@code hwmon} plus what OSHI has of each kind (temperature, fans, voltage) that {@code hwmon}
   * has no reading of.
   */
  public synchronized List<Hwmon.Sensor> fillGaps(List<Hwmon.Sensor> hwmon) {
    boolean temp = hwmon.stream().anyMatch(s -> s.kind().equals("temp"));
    boolean fan = hwmon.stream().anyMatch(s -> s.kind().equals("fan"));
    boolean in = hwmon.stream().anyMatch(s -> s.kind().equals("in"));
    if (temp && fan && in) {
      return hwmon;
    }
    Sensors s = sensors();
    if (s == null) {
      return hwmon;
    }
    List<Hwmon.Sensor> out = new ArrayList<>(hwmon);
    try {
      out.addAll(read(s, !temp, !fan, !in));
    } catch (RuntimeException e) {
      LOG.warn("OSHI sensors failed, using hwmon only: {}", CheckRunner.describe(e));
    }
    return out;
  }

  /** The readings of the wanted kinds from {@code s}; pure apart from calling {@code s}. */
  public static List<Hwmon.Sensor> read(Sensors s, boolean temp, boolean fans, boolean volts) {
    List<Hwmon.Sensor> out = new ArrayList<>();
    if (temp) {
      double t = s.getCpuTemperature();
      if (Double.isFinite(t) && t != 0) {
        out.add(new Hwmon.Sensor("temp", "oshi/cpu", "CPU", t, null, null, null));
      }
    }
    if (fans) {
      int[] rpm = s.getFanSpeeds();
      for (int i = 0; rpm != null && i < rpm.length; i++) {
        out.add(
            new Hwmon.Sensor(
                "fan", "oshi/fan" + (i + 1), "Fan " + (i + 1), rpm[i], null, null, null));
      }
    }
    if (volts) {
      double v = s.getCpuVoltage();
      if (Double.isFinite(v) && v > 0) {
        out.add(new Hwmon.Sensor("in", "oshi/cpu", "CPU voltage", v, null, null, null));
      }
    }
    return out;
  }

  private Sensors sensors() {
    if (sensors == null && !failed) {
      try {
        sensors = supplier.get();
      } catch (LinkageError | RuntimeException e) {
        failed = true;
        LOG.warn("OSHI is not available here, sensors come from hwmon only: {}", e.toString());
      }
    }
    return sensors;
  }
}
