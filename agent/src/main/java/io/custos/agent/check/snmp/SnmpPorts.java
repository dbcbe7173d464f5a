package io.custos.agent.check.snmp;

import io.custos.agent.check.Levels;
import io.custos.common.match.Globs;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * The interface table of a device, one port per ifIndex, from IF-MIB (RFC 2863) ifTable and
 * ifXTable columns; parsing and judging are pure so captured walks test them.
 */
final class SnmpPorts {
  /** The columns walked, by name; {@link #parse} takes their rows. */
  static final List<String> COLUMNS =
      List.of(
          "ifDescr",
          "ifSpeed",
          "ifAdminStatus",
          "ifOperStatus",
          "ifInErrors",
          "ifOutErrors",
          "ifName",
          "ifHighSpeed",
          "ifAlias",
          "ifType",
          "ifLastChange");

  /**
   * ifType values (IANAifType-MIB) of interfaces that are not ports: other(1) is left out, as
   * switches use it for real ports too. softwareLoopback(24), propVirtual(53), tunnel(131),
   * l2vlan(135), l3ipvlan(136), l3ipxvlan(137), ipForward(142), mplsTunnel(150), mpls(166),
   * bridge(209).
   */
  private static final java.util.Set<Integer> VIRTUAL =
      java.util.Set.of(24, 53, 131, 135, 136, 137, 142, 150, 166, 209);

  /**
   * How long after the device's boot (in sysUpTime hundredths of a second) ports settle: a port
   * whose ifOperStatus last changed within it and is not up has had no link since boot.
   */
  static final long BOOT_SETTLE_TICKS = 5 * 60 * 100;

  // ifOperStatus (RFC 2863): 1 up ... 7 lowerLayerDown
  private static final String[] OPER = {
    "?", "up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown"
  };

  private SnmpPorts() {}

  /**
   * One port.
   *
   * @param index ifIndex, unsigned (some DSLAMs number ports above 2^31)
   * @param name ifName, else ifDescr, else {@code ifIndex N}
   * @param alias ifAlias (the operator's description) or null
   * @param admin ifAdminStatus: 1 up, 2 down, 3 testing; 0 unknown
   * @param oper ifOperStatus: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7
   *     lowerLayerDown; 0 when the device gave none
   * @param speedMbps ifHighSpeed, else ifSpeed / 10^6; 0 when unknown
   * @param inErrors ifInErrors (Counter32) or null
   * @param outErrors ifOutErrors (Counter32) or null
   * @param type ifType (IANAifType), 0 when unknown
   * @param lastChange ifLastChange (sysUpTime at the last ifOperStatus change, hundredths of a
   *     second) or null
   */
  record Port(
      long index,
      String name,
      String alias,
      int admin,
      int oper,
      long speedMbps,
      Long inErrors,
      Long outErrors,
      int type,
      Long lastChange) {
    /** VLAN, loopback, tunnel and other interfaces that are not ports, by ifType. */
    boolean virtual() {
      return VIRTUAL.contains(type);
    }

    /** True when the link is not up and has not changed since the device settled after boot. */
    boolean noLinkSinceBoot() {
      return oper != 1 && lastChange != null && lastChange <= BOOT_SETTLE_TICKS;
    }

    String operName() {
      return oper > 0 && oper < OPER.length ? OPER[oper] : "status " + oper;
    }

    Long errors() {
      return inErrors == null && outErrors == null
          ? null
          : (inErrors == null ? 0 : inErrors) + (outErrors == null ? 0 : outErrors);
    }
  }

  /**
   * The ports in ifIndex order from the rows of {@link #COLUMNS}; a row whose index is not a single
   * number is ignored. A name two interfaces share (ifDescr {@code Switch loopback interface}) gets
   * its ifIndex: {@code Switch loopback interface #4357}, so each port is its own service.
   */
  static List<Port> parse(List<VariableBinding> rows) {
    Map<Long, Map<String, Variable>> byIndex = new TreeMap<>();
    for (VariableBinding vb : rows) {
      SnmpNames.Known k = SnmpNames.of(vb.getOid());
      if (k == null || SnmpValues.missing(vb.getVariable())) {
        continue;
      }
      OID oid = vb.getOid();
      if (oid.size() != k.oid().size() + 1) {
        continue;
      }
      byIndex
          .computeIfAbsent(oid.lastUnsigned(), i -> new java.util.HashMap<>())
          .put(k.name(), vb.getVariable());
    }
    List<Port> ports = new ArrayList<>();
    byIndex.forEach(
        (index, cols) -> {
          String name = text(cols.get("ifName"));
          if (name == null) {
            name = text(cols.get("ifDescr"));
          }
          if (name == null) {
            name = "ifIndex " + index;
          }
          long speed = 0;
          if (cols.get("ifHighSpeed") != null && cols.get("ifHighSpeed").toLong() > 0) {
            speed = cols.get("ifHighSpeed").toLong();
          } else if (cols.get("ifSpeed") != null) {
            long bps = cols.get("ifSpeed").toLong();
            // 4294967295 means "faster than a Gauge32 holds, see ifHighSpeed"
            speed = bps == 4294967295L ? 0 : bps / 1_000_000;
          }
          ports.add(
              new Port(
                  index,
                  name,
                  text(cols.get("ifAlias")),
                  intOf(cols.get("ifAdminStatus")),
                  intOf(cols.get("ifOperStatus")),
                  speed,
                  counter(cols.get("ifInErrors")),
                  counter(cols.get("ifOutErrors")),
                  intOf(cols.get("ifType")),
                  cols.get("ifLastChange") == null ? null : cols.get("ifLastChange").toLong()));
        });
    Map<String, Integer> seen = new java.util.HashMap<>();
    ports.forEach(p -> seen.merge(p.name(), 1, Integer::sum));
    List<Port> unique = new ArrayList<>();
    for (Port p : ports) {
      unique.add(
          seen.get(p.name()) == 1
              ? p
              : new Port(
                  p.index(),
                  p.name() + " #" + p.index(),
                  p.alias(),
                  p.admin(),
                  p.oper(),
                  p.speedMbps(),
                  p.inErrors(),
                  p.outErrors(),
                  p.type(),
                  p.lastChange()));
    }
    return unique;
  }

  private static String text(Variable v) {
    if (v == null) {
      return null;
    }
    String s = v.toString().strip();
    return s.isEmpty() ? null : s;
  }

  private static int intOf(Variable v) {
    return v == null ? 0 : v.toInt();
  }

  private static Long counter(Variable v) {
    return v instanceof Counter32 c ? c.getValue() : v == null ? null : v.toLong();
  }

  /**
   * Why a port is not judged when no {@code match} lists ports, or null when it is: a virtual
   * interface ({@code DEFAULT_VLAN}, loopbacks: {@link Port#virtual()}); and, unless this check saw
   * it up or the operator described it (ifAlias), a port without link since the device booted
   * ({@link Port#noLinkSinceBoot()}), a dormant one, or one down without ifLastChange.
   */
  static String unused(Port p, boolean seenUp) {
    if (p.virtual()) {
      return "virtual";
    }
    if (seenUp || p.alias() != null && !p.name().startsWith(p.alias())) {
      // seen in use, or described by the operator (an ifAlias that is not just the port's own
      // name, which some devices fill in): a port someone relies on
      return null;
    }
    if (p.noLinkSinceBoot()) {
      return "no link since boot";
    }
    if (p.oper() == 5) {
      // dormant (RFC 2863): waiting for an external action, a DSL line without a modem
      return "dormant";
    }
    if (p.oper() != 1 && p.lastChange() == null) {
      return "no link, history unknown";
    }
    return null;
  }

  /** True when the port's name matches the include globs (none: all) and no exclude glob. */
  static boolean selected(Port p, SnmpConfig.Interfaces config) {
    List<String> match = config.matchGlobs();
    return (match.isEmpty() || Globs.any(match, p.name()))
        && !Globs.any(config.excludeGlobs(), p.name());
  }

  /**
   * The result for one port; pure.
   *
   * @param errorRate in plus out errors per second since the last run, or null (first run, or a
   *     counter discontinuity)
   * @param uptime the device's sysUpTime in hundredths of a second, or null
   */
  static CheckResult judge(
      String device,
      Port p,
      SnmpConfig.Interfaces config,
      Double errorRate,
      Long uptime,
      long now) {
    Map<String, String> labels =
        Map.of("device", device, "interface", p.name(), "ifindex", String.valueOf(p.index()));
    List<Metric> metrics = new ArrayList<>();
    metrics.add(Metric.of("snmp_if_admin_up", labels, p.admin() == 1 ? 1 : 0, null));
    metrics.add(Metric.of("snmp_if_oper_up", labels, p.oper() == 1 ? 1 : 0, null));
    if (p.speedMbps() > 0) {
      metrics.add(
          Metric.of("snmp_if_speed_bits_per_second", labels, p.speedMbps() * 1_000_000.0, null));
    }
    if (p.inErrors() != null) {
      metrics.add(Metric.of("snmp_if_in_errors_total", labels, p.inErrors(), null));
    }
    if (p.outErrors() != null) {
      metrics.add(Metric.of("snmp_if_out_errors_total", labels, p.outErrors(), null));
    }
    String alias = p.alias() == null ? "" : " (" + p.alias() + ")";
    Status status;
    StringBuilder text = new StringBuilder(p.name()).append(alias);
    if (p.admin() != 1) {
      status = Status.OK;
      text.append(" administratively ")
          .append(p.admin() == 3 ? "testing" : "down")
          .append(", not judged");
    } else if (p.oper() == 1) {
      status = Status.OK;
      text.append(" up, ").append(p.speedMbps() > 0 ? p.speedMbps() + "Mb/s" : "unknown speed");
      if (config.expectSpeed() != null
          && p.speedMbps() > 0
          && p.speedMbps() < config.expectSpeed()) {
        status = Status.WARNING;
        text.append(", expected ").append(config.expectSpeed()).append("Mb/s");
      }
    } else if (p.oper() == 2 || p.oper() == 6 || p.oper() == 7) {
      status = Status.CRITICAL;
      text.append(" down (ifOperStatus ").append(p.operName()).append(", ifAdminStatus up)");
      if (uptime != null && p.lastChange() != null && p.lastChange() <= uptime) {
        text.append(" for ").append(SnmpValues.uptime(uptime - p.lastChange()));
      }
    } else {
      status = Status.WARNING;
      text.append(" ").append(p.operName()).append(" (ifOperStatus, ifAdminStatus up)");
    }
    if (errorRate != null) {
      metrics.add(
          new Metric(
              "snmp_if_errors_per_second",
              labels,
              errorRate,
              null,
              config.errorRateWarning(),
              config.errorRateCritical(),
              0.0,
              null));
      if (p.admin() == 1) {
        Status e = Status.OK;
        if (config.errorRateCritical() != null && errorRate >= config.errorRateCritical()) {
          e = Status.CRITICAL;
          text.append(", ")
              .append(SnmpValues.rate(errorRate))
              .append(" errors (critical ")
              .append(Levels.number(config.errorRateCritical()))
              .append("/s)");
        } else if (errorRate >= config.errorRateWarning()) {
          e = Status.WARNING;
          text.append(", ")
              .append(SnmpValues.rate(errorRate))
              .append(" errors (warning ")
              .append(Levels.number(config.errorRateWarning()))
              .append("/s)");
        }
        status = status.worse(e);
      }
    }
    return new CheckResult(
        "SNMP " + device + " " + p.name(),
        "snmp",
        status,
        "SNMP " + status + " - " + text,
        now,
        metrics);
  }
}
