package io.custos.agent.check.snmp;

import io.custos.agent.check.Levels;
import io.custos.agent.check.NagiosRange;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * A UPS through the standard UPS-MIB (RFC 1628): its own alarms, battery status, output source,
 * minutes and charge remaining, seconds on battery and the load per output line; judging is pure.
 *
 * <p>The device's own state comes first: every alarm of {@code upsAlarmTable} is named ({@link
 * SnmpUpsAlarms}: {@code upsAlarmBatteryBad (batteries need replacement)} is WARNING); {@code
 * upsBatteryStatus} batteryLow(3) or batteryDepleted(4) is CRITICAL, unknown(1) UNKNOWN; {@code
 * upsOutputSource} none(2) is CRITICAL, battery(5), bypass(4) and other(1) are WARNING. Our limits
 * come after: {@code upsEstimatedMinutesRemaining} below 10 is WARNING, below 5 CRITICAL; {@code
 * upsOutputPercentLoad} above 80% on a line is WARNING, above 90% CRITICAL; but a UPS on mains
 * ({@code upsOutputSource} normal, booster or reducer), with its battery normal and no alarm
 * ({@code upsAlarmsPresent} 0), is OK whatever our limits say: a crossing is shown ({@code 8 min
 * remaining (below 10: not judged, the UPS is on mains, normal, without alarm)}), never paged.
 */
final class SnmpUps {
  static final OID BATTERY_STATUS = SnmpNames.resolve("upsBatteryStatus").oid();
  static final OID SECONDS_ON_BATTERY = SnmpNames.resolve("upsSecondsOnBattery").oid();
  static final OID MINUTES_REMAINING = SnmpNames.resolve("upsEstimatedMinutesRemaining").oid();
  static final OID CHARGE_REMAINING = SnmpNames.resolve("upsEstimatedChargeRemaining").oid();
  static final OID OUTPUT_SOURCE = SnmpNames.resolve("upsOutputSource").oid();
  static final OID OUTPUT_LOAD = SnmpNames.resolve("upsOutputPercentLoad").oid();

  /** The scalars read with one GET. */
  static final List<OID> SCALARS =
      List.of(
          BATTERY_STATUS,
          SECONDS_ON_BATTERY,
          MINUTES_REMAINING,
          CHARGE_REMAINING,
          OUTPUT_SOURCE,
          SnmpUpsAlarms.ALARMS_PRESENT);

  static final NagiosRange MINUTES_WARNING = NagiosRange.parse("10:");
  static final NagiosRange MINUTES_CRITICAL = NagiosRange.parse("5:");
  static final NagiosRange LOAD_WARNING = NagiosRange.parse("80");
  static final NagiosRange LOAD_CRITICAL = NagiosRange.parse("90");

  private static final String[] BATTERY = {
    "?", "unknown", "batteryNormal", "batteryLow", "batteryDepleted"
  };
  private static final String[] SOURCE = {
    "?", "other", "none", "normal", "bypass", "battery", "booster", "reducer"
  };

  private static final String NOT_JUDGED =
      ": not judged, the UPS is on mains, normal, without alarm)";

  private SnmpUps() {}

  /**
   * The UPS service.
   *
   * @param scalars the answers to {@link #SCALARS}, in any order
   * @param loads the walk of {@link #OUTPUT_LOAD}, one row per output line
   * @param alarms the walk of {@link SnmpUpsAlarms#ALARM_DESCR}, one row per present alarm
   */
  static CheckResult judge(
      String device,
      List<VariableBinding> scalars,
      List<VariableBinding> loads,
      List<VariableBinding> alarms,
      long now) {
    Map<String, String> labels = Map.of("device", device);
    Map<OID, Variable> v = new java.util.HashMap<>();
    for (VariableBinding vb : scalars) {
      v.put(vb.getOid(), vb.getVariable());
    }
    List<Metric> metrics = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> facts = new ArrayList<>();
    Status status = Status.OK;

    List<SnmpUpsAlarms.Alarm> present = SnmpUpsAlarms.parse(alarms);
    Double count = SnmpValues.number(v.get(SnmpUpsAlarms.ALARMS_PRESENT));
    if (count != null) {
      metrics.add(Metric.of("snmp_ups_alarms_present", labels, count, null));
    }
    for (SnmpUpsAlarms.Alarm a : present) {
      status = status.worse(a.status());
      (a.status() == Status.OK ? facts : problems).add("alarm " + a.text());
    }
    if (present.isEmpty() && count != null && count > 0) {
      status = status.worse(Status.WARNING);
      problems.add(
          Levels.number(count)
              + " alarm"
              + (count == 1 ? "" : "s")
              + " present (upsAlarmsPresent)");
    }
    boolean alarmFree = present.isEmpty() && (count == null || count == 0);
    boolean batteryNormal = false;
    boolean onMains = false;

    Variable battery = v.get(BATTERY_STATUS);
    if (SnmpValues.missing(battery)) {
      status = Status.UNKNOWN;
      problems.add(
          "upsBatteryStatus "
              + SnmpValues.missingName(battery)
              + " ("
              + BATTERY_STATUS
              + "): not a UPS-MIB device?");
    } else {
      int b = battery.toInt();
      batteryNormal = b == 2;
      metrics.add(Metric.of("snmp_ups_battery_status", labels, b, null));
      String name = b > 0 && b < BATTERY.length ? BATTERY[b] : "status " + b;
      Status s = b == 2 ? Status.OK : b == 3 || b == 4 ? Status.CRITICAL : Status.UNKNOWN;
      status = status.worse(s);
      (s == Status.OK ? facts : problems).add("battery " + name);
    }

    Variable source = v.get(OUTPUT_SOURCE);
    if (!SnmpValues.missing(source)) {
      int o = source.toInt();
      onMains = o == 3 || o == 6 || o == 7; // normal, or on mains through booster/reducer (AVR)
      metrics.add(Metric.of("snmp_ups_output_source", labels, o, null));
      String name = o > 0 && o < SOURCE.length ? SOURCE[o] : "source " + o;
      Status s =
          switch (o) {
            case 3, 6, 7 -> Status.OK;
            case 2 -> Status.CRITICAL;
            default -> Status.WARNING;
          };
      status = status.worse(s);
      (s == Status.OK ? facts : problems)
          .add(o == 5 ? "on battery" : o == 2 ? "output off (source none)" : "output " + name);
    }

    // Our limits never page against a UPS on mains, normal and without an alarm.
    boolean ours = !(onMains && batteryNormal && alarmFree);
    Double minutes = SnmpValues.number(v.get(MINUTES_REMAINING));
    if (minutes != null) {
      metrics.add(
          new Metric(
              "snmp_ups_minutes_remaining",
              labels,
              minutes,
              null,
              MINUTES_WARNING.perfdata(),
              MINUTES_CRITICAL.perfdata(),
              0.0,
              null));
      Status s =
          MINUTES_CRITICAL.alerts(minutes)
              ? Status.CRITICAL
              : MINUTES_WARNING.alerts(minutes) ? Status.WARNING : Status.OK;
      String text = Levels.number(minutes) + " min remaining";
      if (s != Status.OK && !ours) {
        text += " (below " + (s == Status.CRITICAL ? "5" : "10") + NOT_JUDGED;
        s = Status.OK;
      }
      status = status.worse(s);
      (s == Status.OK ? facts : problems).add(text);
    }
    Double charge = SnmpValues.number(v.get(CHARGE_REMAINING));
    if (charge != null) {
      metrics.add(
          new Metric("snmp_ups_charge_percent", labels, charge, "%", null, null, 0.0, 100.0));
      facts.add("charge " + Levels.pct(charge));
    }
    Double onBattery = SnmpValues.number(v.get(SECONDS_ON_BATTERY));
    if (onBattery != null) {
      metrics.add(Metric.of("snmp_ups_on_battery_seconds", labels, onBattery, "s"));
      if (onBattery > 0) {
        facts.add(Levels.number(onBattery) + "s on battery");
      }
    }
    for (VariableBinding vb : loads) {
      Double load = SnmpValues.number(vb.getVariable());
      if (load == null) {
        continue;
      }
      String line = String.valueOf(vb.getOid().last());
      metrics.add(
          new Metric(
              "snmp_ups_output_load_percent",
              Map.of("device", device, "line", line),
              load,
              "%",
              LOAD_WARNING.perfdata(),
              LOAD_CRITICAL.perfdata(),
              0.0,
              null));
      Status s =
          LOAD_CRITICAL.alerts(load)
              ? Status.CRITICAL
              : LOAD_WARNING.alerts(load) ? Status.WARNING : Status.OK;
      String text = "load line " + line + " " + Levels.pct(load);
      if (s != Status.OK && !ours) {
        text += " (above " + (s == Status.CRITICAL ? "90%" : "80%") + NOT_JUDGED;
        s = Status.OK;
      }
      status = status.worse(s);
      (s == Status.OK ? facts : problems).add(text);
    }
    List<String> all = new ArrayList<>(problems);
    all.addAll(facts);
    return new CheckResult(
        "UPS " + device,
        "snmp",
        status,
        "UPS " + status + " - " + device + " " + String.join(", ", all),
        now,
        metrics);
  }
}
