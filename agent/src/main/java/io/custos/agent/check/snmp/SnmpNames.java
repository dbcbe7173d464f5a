package io.custos.agent.check.snmp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.snmp4j.smi.OID;

/**
 * The object names an operator types, mapped to their OIDs, so {@code get:} and the interface and
 * UPS sets need no MIB files. Sources:
 *
 * <ul>
 *   <li>SNMPv2-MIB, RFC 3418 §2: {@code system} group ({@code sysDescr} 1.3.6.1.2.1.1.1 ... {@code
 *       sysLocation} 1.3.6.1.2.1.1.6); scalars, instance {@code .0}
 *   <li>IF-MIB, RFC 2863 §6: {@code ifTable} 1.3.6.1.2.1.2.2.1.N and {@code ifXTable}
 *       1.3.6.1.2.1.31.1.1.1.N ({@code ifName}, the 64-bit {@code ifHC*} counters, {@code
 *       ifHighSpeed} in Mb/s, {@code ifAlias}); columns, instance {@code .ifIndex}
 *   <li>UPS-MIB, RFC 1628 §4: {@code upsBattery} 1.3.6.1.2.1.33.1.2, {@code upsInput}
 *       1.3.6.1.2.1.33.1.3, {@code upsOutput} 1.3.6.1.2.1.33.1.4, {@code upsAlarm}
 *       1.3.6.1.2.1.33.1.6
 * </ul>
 *
 * <p>A name resolves with an optional instance suffix ({@code ifInErrors.3}); a numeric OID ({@code
 * 1.3.6.1.2.1.1.3.0}, a leading dot allowed) passes through unchanged.
 *
 * <p>Why our own table rather than MIB files: SNMP4J resolves names only with its separate SMI
 * add-on, and the MIB files net-snmp would read are not installed on a Debian node by default
 * ({@code snmp-mibs-downloader} is in non-free); the few standard objects a monitoring check needs
 * are fixed by their RFCs, so a table of them is smaller than either dependency and cannot be
 * missing at 03:00.
 */
final class SnmpNames {
  /** A known object: its OID (without instance) and whether it is a scalar (instance .0). */
  record Known(String name, OID oid, boolean scalar) {}

  private static final Pattern NUMERIC = Pattern.compile("\\.?\\d+(\\.\\d+)+");
  private static final Pattern NAMED = Pattern.compile("([A-Za-z][A-Za-z0-9]*)((?:\\.\\d+)*)");
  private static final Map<String, Known> BY_NAME = table();

  private SnmpNames() {}

  private static Map<String, Known> table() {
    Map<String, Known> m = new LinkedHashMap<>();
    // SNMPv2-MIB (RFC 3418), system group
    String[] system = {
      "sysDescr", "sysObjectID", "sysUpTime", "sysContact", "sysName", "sysLocation"
    };
    for (int i = 0; i < system.length; i++) {
      put(m, system[i], "1.3.6.1.2.1.1." + (i + 1), true);
    }
    // IF-MIB (RFC 2863) ifTable, ifEntry columns 1..22
    String[] ifTable = {
      "ifIndex",
      "ifDescr",
      "ifType",
      "ifMtu",
      "ifSpeed",
      "ifPhysAddress",
      "ifAdminStatus",
      "ifOperStatus",
      "ifLastChange",
      "ifInOctets",
      "ifInUcastPkts",
      "ifInNUcastPkts",
      "ifInDiscards",
      "ifInErrors",
      "ifInUnknownProtos",
      "ifOutOctets",
      "ifOutUcastPkts",
      "ifOutNUcastPkts",
      "ifOutDiscards",
      "ifOutErrors",
      "ifOutQLen",
      "ifSpecific"
    };
    for (int i = 0; i < ifTable.length; i++) {
      put(m, ifTable[i], "1.3.6.1.2.1.2.2.1." + (i + 1), false);
    }
    put(m, "ifNumber", "1.3.6.1.2.1.2.1", true);
    // IF-MIB ifXTable, ifXEntry columns 1..19
    String[] ifX = {
      "ifName", "ifInMulticastPkts", "ifInBroadcastPkts", "ifOutMulticastPkts",
      "ifOutBroadcastPkts", "ifHCInOctets", "ifHCInUcastPkts", "ifHCInMulticastPkts",
      "ifHCInBroadcastPkts", "ifHCOutOctets", "ifHCOutUcastPkts", "ifHCOutMulticastPkts",
      "ifHCOutBroadcastPkts", "ifLinkUpDownTrapEnable", "ifHighSpeed", "ifPromiscuousMode",
      "ifConnectorPresent", "ifAlias", "ifCounterDiscontinuityTime"
    };
    for (int i = 0; i < ifX.length; i++) {
      put(m, ifX[i], "1.3.6.1.2.1.31.1.1.1." + (i + 1), false);
    }
    // UPS-MIB (RFC 1628) upsBattery group 1.3.6.1.2.1.33.1.2.1..7
    String[] battery = {
      "upsBatteryStatus", "upsSecondsOnBattery", "upsEstimatedMinutesRemaining",
      "upsEstimatedChargeRemaining", "upsBatteryVoltage", "upsBatteryCurrent",
      "upsBatteryTemperature"
    };
    for (int i = 0; i < battery.length; i++) {
      put(m, battery[i], "1.3.6.1.2.1.33.1.2." + (i + 1), true);
    }
    put(m, "upsInputLineBads", "1.3.6.1.2.1.33.1.3.1", true);
    put(m, "upsInputNumLines", "1.3.6.1.2.1.33.1.3.2", true);
    put(m, "upsInputFrequency", "1.3.6.1.2.1.33.1.3.3.1.2", false);
    put(m, "upsInputVoltage", "1.3.6.1.2.1.33.1.3.3.1.3", false);
    put(m, "upsOutputSource", "1.3.6.1.2.1.33.1.4.1", true);
    put(m, "upsOutputFrequency", "1.3.6.1.2.1.33.1.4.2", true);
    put(m, "upsOutputNumLines", "1.3.6.1.2.1.33.1.4.3", true);
    put(m, "upsOutputVoltage", "1.3.6.1.2.1.33.1.4.4.1.2", false);
    put(m, "upsOutputCurrent", "1.3.6.1.2.1.33.1.4.4.1.3", false);
    put(m, "upsOutputPower", "1.3.6.1.2.1.33.1.4.4.1.4", false);
    put(m, "upsOutputPercentLoad", "1.3.6.1.2.1.33.1.4.4.1.5", false);
    // UPS-MIB upsAlarm group 1.3.6.1.2.1.33.1.6: the count and the table of present alarms
    put(m, "upsAlarmsPresent", "1.3.6.1.2.1.33.1.6.1", true);
    put(m, "upsAlarmDescr", "1.3.6.1.2.1.33.1.6.2.1.2", false);
    put(m, "upsAlarmTime", "1.3.6.1.2.1.33.1.6.2.1.3", false);
    return java.util.Collections.unmodifiableMap(m);
  }

  private static void put(Map<String, Known> m, String name, String oid, boolean scalar) {
    m.put(name, new Known(name, new OID(oid), scalar));
  }

  /** The known object of that name (case-sensitive, as MIBs spell it), or null. */
  static Known known(String name) {
    return BY_NAME.get(name);
  }

  /** The known object whose OID is {@code oid} or a prefix of it, or null. */
  static Known of(OID oid) {
    Known best = null;
    for (Known k : BY_NAME.values()) {
      if (oid.startsWith(k.oid()) && (best == null || k.oid().size() > best.oid().size())) {
        best = k;
      }
    }
    return best;
  }

  /**
   * {@code ifInErrors.3} for 1.3.6.1.2.1.2.2.1.14.3, {@code sysUpTime} for its {@code .0}; the
   * dotted OID when no name is known.
   */
  static String describe(OID oid) {
    Known k = of(oid);
    if (k == null) {
      return oid.toDottedString();
    }
    if (oid.size() == k.oid().size()
        || k.scalar() && oid.size() == k.oid().size() + 1 && oid.last() == 0) {
      return k.name();
    }
    return k.name() + "." + new OID(oid.getValue(), k.oid().size(), oid.size() - k.oid().size());
  }

  /**
   * What an object reference in the config means.
   *
   * @param oid the OID to get, or the subtree to walk
   * @param walk true for a table column named without an instance ({@code ifInErrors}): every row
   */
  record Target(OID oid, boolean walk) {}

  /**
   * Resolves a name or a numeric OID. A scalar name without an instance gets {@code .0} ({@code
   * sysUpTime} is {@code sysUpTime.0}); a column name without one is walked.
   *
   * @throws IllegalArgumentException naming the text when it is neither a known name nor an OID
   */
  static Target resolve(String text) {
    String t = text == null ? "" : text.strip();
    if (NUMERIC.matcher(t).matches()) {
      return new Target(new OID(t.startsWith(".") ? t.substring(1) : t), false);
    }
    var m = NAMED.matcher(t);
    Known k = m.matches() ? BY_NAME.get(m.group(1)) : null;
    if (k == null) {
      throw new IllegalArgumentException(
          "unknown SNMP object \""
              + text
              + "\": expected a numeric OID such as 1.3.6.1.2.1.1.3.0 or one of "
              + String.join(", ", BY_NAME.keySet()));
    }
    String instance = m.group(2);
    if (instance.isEmpty()) {
      return k.scalar() ? new Target(new OID(k.oid()).append(0), false) : new Target(k.oid(), true);
    }
    return new Target(new OID(k.oid().toDottedString() + instance), false);
  }
}
