package io.custos.agent.check.sensors;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.os.Hwmon;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fan speeds from hwmon {@code fan*_input} (RPM). See {@link FansConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: fans, min_rpm: 600 }
 * }</pre>
 *
 * <p>One service, {@code Fans}. The driver's own flags come first: {@code fan*_fault} is CRITICAL
 * "fan failed", {@code fan*_alarm} WARNING (see {@link Hwmon.Sensor#flagStatus()}). A fan at 0 RPM
 * is CRITICAL "stopped" when the driver has a minimum for it ({@code fan*_min} above 0) or it was
 * seen spinning before; a 0 RPM fan never seen spinning and without a driver minimum is an
 * unconnected header (boards expose every header) and is ignored, whatever {@code min_rpm} says:
 * that is a limit for fans that are there. A spinning fan below {@code min_rpm}, else below its own
 * {@code fan*_min}, is WARNING. Metric {@code fan_rpm} per fan, labels {@code sensor} and {@code
 * label}.
 *
 * <p>Stateful (remembers which fans have spun). Failure behaviour: no fans at all is UNKNOWN "no
 * fan sensors" once, then OK (see {@link NoSensors}).
 */
public final class FansCheck implements Check {
  private final FansConfig config;
  private final SensorSource sensors;
  private final NoSensors none = new NoSensors();
  private final Set<String> seenSpinning = new HashSet<>();

  public FansCheck(FansConfig config) {
    this(config, SensorSource.system());
  }

  public FansCheck(FansConfig config, SensorSource sensors) {
    this.config = config;
    this.sensors = sensors;
  }

  @Override
  public String kind() {
    return "fans";
  }

  @Override
  public String name() {
    return "Fans";
  }

  @Override
  public List<CheckResult> run(CheckContext context) {
    List<Hwmon.Sensor> fans =
        sensors.read(context).stream().filter(s -> s.kind().equals("fan")).toList();
    if (fans.isEmpty()) {
      return List.of(none.result(name(), kind(), "fan sensors", context.now()));
    }
    CheckResult r = result(fans, config, seenSpinning, context.now());
    fans.stream().filter(f -> f.value() > 0).forEach(f -> seenSpinning.add(f.id()));
    return List.of(r);
  }

  /** The result for fan sensors, given the ids of fans seen spinning before; pure. */
  static CheckResult result(
      List<Hwmon.Sensor> fans, FansConfig config, Set<String> seenSpinning, long now) {
    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Hwmon.Sensor f : fans) {
      if (f.implausible() != null) {
        skipped.add(f.skipped());
        continue;
      }
      double min = config.minRpm() != null ? config.minRpm() : f.min() == null ? 0 : f.min();
      // A header is known to have a fan when the driver has a minimum for it or it was seen
      // spinning; min_rpm is a limit for fans that are there, not a claim that every header has
      // one.
      boolean hasMin = f.min() != null && f.min() > 0;
      if (f.value() <= 0 && !hasMin && !seenSpinning.contains(f.id()) && !f.faulty()) {
        skipped.add(f.label() + " (never spun)");
        continue;
      }
      if (f.alarmed()) {
        // the driver's own verdict first: a failed fan, or its alarm
        status = status.worse(f.flagStatus());
        problems.add(f.flagText());
        if (f.faulty()) {
          continue;
        }
      }
      metrics.add(
          new Metric(
              "fan_rpm",
              Map.of("sensor", f.id(), "label", f.label()),
              f.value(),
              null,
              min > 0 ? min : null,
              null,
              0.0,
              null));
      String rpm = (long) f.value() + " RPM";
      if (f.value() <= 0) {
        status = status.worse(Status.CRITICAL);
        problems.add(
            f.label() + " stopped (0 RPM" + (min > 0 ? ", minimum " + (long) min : "") + ")");
      } else if (f.value() < min) {
        status = status.worse(Status.WARNING);
        problems.add(f.label() + " " + rpm + " (minimum " + (long) min + ")");
      } else {
        fine.add(f.label() + " " + rpm);
      }
    }
    String text;
    if (problems.isEmpty()) {
      text = fine.isEmpty() ? "no fan connected" : String.join(", ", fine);
    } else {
      text =
          String.join(", ", problems) + (fine.isEmpty() ? "" : "; ok: " + String.join(", ", fine));
    }
    if (!skipped.isEmpty()) {
      text += "; skipped: " + String.join(", ", skipped);
    }
    return new CheckResult("Fans", "fans", status, "FANS " + status + " - " + text, now, metrics);
  }
}
