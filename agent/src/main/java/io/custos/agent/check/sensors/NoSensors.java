package io.custos.agent.check.sensors;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.util.List;

/**
 * What a sensor check says on a machine without sensors (a VM, a container): UNKNOWN "no sensors"
 * on the first run, so the operator learns the check cannot work here, then OK "no sensors
 * (reported once)" so that it is not a problem every cycle. Sensors that appear later (a module
 * loaded) are checked normally from then on.
 */
final class NoSensors {
  private boolean reported;

  /** The result for a run that found no sensors of {@code what} (e.g. "temperature sensors"). */
  CheckResult result(String service, String kind, String what, long now) {
    String prefix = kind.toUpperCase(java.util.Locale.ROOT);
    if (reported) {
      return new CheckResult(
          service,
          kind,
          Status.OK,
          prefix + " OK - no " + what + " (reported once)",
          now,
          List.of());
    }
    reported = true;
    return new CheckResult(
        service,
        kind,
        Status.UNKNOWN,
        prefix + " UNKNOWN - no " + what + " in /sys/class/hwmon or /sys/class/thermal (a VM?)",
        now,
        List.of());
  }
}
