package io.custos.agent.check.snmp;

import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * The UPS's own alarms: UPS-MIB (RFC 1628 §4.6) {@code upsAlarmsPresent} and the {@code
 * upsAlarmDescr} column of {@code upsAlarmTable}, whose values are the OIDs of {@code
 * upsWellKnownAlarms} (1.3.6.1.2.1.33.1.6.3.N) or of a vendor's own alarms. Pure.
 *
 * <p>Severity: an alarm that means the load is, or is about to be, without power (low or depleted
 * battery, output bad or overloaded, output or system off, fuse failure, general fault, awaiting
 * power, shutdown pending or imminent) is CRITICAL; {@code upsAlarmTestInProgress} is only noted;
 * every other alarm, a vendor's included, is WARNING. The RFC's meaning is shown in brackets.
 */
final class SnmpUpsAlarms {
  static final OID ALARMS_PRESENT = SnmpNames.resolve("upsAlarmsPresent").oid();
  static final OID ALARM_DESCR = SnmpNames.resolve("upsAlarmDescr").oid();
  static final OID WELL_KNOWN = new OID("1.3.6.1.2.1.33.1.6.3");

  /** upsWellKnownAlarms 1..24: name, meaning, severity. */
  private record Known(String name, String meaning, Status status) {}

  private static final Known[] KNOWN = {
    null,
    new Known("upsAlarmBatteryBad", "batteries need replacement", Status.WARNING),
    new Known("upsAlarmOnBattery", "on battery", Status.WARNING),
    new Known("upsAlarmLowBattery", "battery low", Status.CRITICAL),
    new Known("upsAlarmDepletedBattery", "battery depleted", Status.CRITICAL),
    new Known("upsAlarmTempBad", "temperature out of tolerance", Status.WARNING),
    new Known("upsAlarmInputBad", "input out of tolerance", Status.WARNING),
    new Known("upsAlarmOutputBad", "output out of tolerance", Status.CRITICAL),
    new Known("upsAlarmOutputOverload", "output overloaded", Status.CRITICAL),
    new Known("upsAlarmOnBypass", "on bypass", Status.WARNING),
    new Known("upsAlarmBypassBad", "bypass out of tolerance", Status.WARNING),
    new Known("upsAlarmOutputOffAsRequested", "output off as requested", Status.WARNING),
    new Known("upsAlarmUpsOffAsRequested", "UPS off as requested", Status.WARNING),
    new Known("upsAlarmChargerFailed", "charger failed", Status.WARNING),
    new Known("upsAlarmUpsOutputOff", "output off", Status.CRITICAL),
    new Known("upsAlarmUpsSystemOff", "UPS system off", Status.CRITICAL),
    new Known("upsAlarmFanFailure", "fan failure", Status.WARNING),
    new Known("upsAlarmFuseFailure", "fuse failure", Status.CRITICAL),
    new Known("upsAlarmGeneralFault", "general fault", Status.CRITICAL),
    new Known("upsAlarmDiagnosticTestFailed", "self-test failed", Status.WARNING),
    new Known("upsAlarmCommunicationsLost", "communication with the UPS lost", Status.WARNING),
    new Known("upsAlarmAwaitingPower", "output off, awaiting input power", Status.CRITICAL),
    new Known("upsAlarmShutdownPending", "shutdown pending", Status.CRITICAL),
    new Known("upsAlarmShutdownImminent", "shutdown imminent", Status.CRITICAL),
    new Known("upsAlarmTestInProgress", "self-test in progress", Status.OK),
  };

  private SnmpUpsAlarms() {}

  /**
   * One present alarm.
   *
   * @param text {@code upsAlarmBatteryBad (batteries need replacement)}, or the vendor OID
   * @param status how bad it is
   */
  record Alarm(String text, Status status) {}

  /** The alarms of a walk of {@link #ALARM_DESCR}, in table order. */
  static List<Alarm> parse(List<VariableBinding> descr) {
    List<Alarm> out = new ArrayList<>();
    for (VariableBinding vb : descr) {
      Variable v = vb.getVariable();
      if (SnmpValues.missing(v)) {
        continue;
      }
      out.add(v instanceof OID o ? alarm(o) : new Alarm("alarm " + v, Status.WARNING));
    }
    return out;
  }

  static Alarm alarm(OID id) {
    if (id.size() == WELL_KNOWN.size() + 1 && id.startsWith(WELL_KNOWN)) {
      int n = id.last();
      if (n > 0 && n < KNOWN.length) {
        Known k = KNOWN[n];
        return new Alarm(k.name() + " (" + k.meaning() + ")", k.status());
      }
    }
    return new Alarm("vendor alarm " + id, Status.WARNING);
  }
}
