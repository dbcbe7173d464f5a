package io.custos.agent.check.snmp;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Levels;
import io.custos.agent.check.RateCheck;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * A device polled over SNMP v2c or v3. See {@link SnmpConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: snmp, name: core-sw1, host: 10.0.0.2, community_file: /etc/custos/snmp-community,
 *     get: [ { name: ifInErrors.3, warning: 1 } ], interfaces: { match: "Gi*", expect_speed: 1000 } }
 * }</pre>
 *
 * <p>Services:
 *
 * <ul>
 *   <li>{@code SNMP core-sw1}: the device answers, its uptime, and every {@code get:} object
 *       against its thresholds: {@code SNMP OK - core-sw1 up 41d 3h 12m, uplink errors 0.00/s}. A
 *       counter (Counter32, Counter64) is judged as a rate per second from the second run on
 *       (Counter32 wrapping at 2^32 handled); TimeTicks in seconds; other numbers as they are; a
 *       string is shown. No answer is CRITICAL ({@code no answer from 10.0.0.2:161 within 2s (2
 *       tries; wrong community?)}); a refused v3 user or an unreadable secret file is UNKNOWN;
 *       {@code noSuchObject}/{@code noSuchInstance} for an object is UNKNOWN naming it and its OID.
 *       {@code sysUpTime} lower than at the last run (and not its 497-day wrap) is WARNING {@code
 *       rebooted} for that one run.
 *   <li>{@code SNMP core-sw1 <ifName>} per port (with {@code interfaces:}), judged by {@link
 *       SnmpPorts#judge}: down while administratively up is CRITICAL, slower than {@code
 *       expect_speed} or in plus out errors per second at or above the limit WARNING (CRITICAL
 *       above {@code error_rate_critical}); administratively down is OK, not judged. Without a
 *       {@code match}, only ports in use are services ({@link SnmpPorts#unused}): a port without
 *       link since the device booted (ifLastChange within {@link SnmpPorts#BOOT_SETTLE_TICKS} of
 *       boot), a dormant one, and VLAN, loopback and other virtual interfaces (by ifType), are
 *       counted in {@code SNMP core-sw1}'s text as not judged, unless this check saw the port up or
 *       it has an ifAlias. A port this check saw up that loses its link is CRITICAL whenever that
 *       happens. A name two interfaces share gets {@code #ifIndex}; the series carry label {@code
 *       ifindex}.
 *   <li>{@code UPS core-sw1} (with {@code ups: true}), judged by {@link SnmpUps#judge}.
 * </ul>
 *
 * <p>Metrics (label {@code device}): {@code snmp_up} (0/1), {@code snmp_uptime_seconds}, {@code
 * snmp_value} and {@code snmp_rate_per_second} (label {@code object}) for {@code get:}, the {@code
 * snmp_if_*} series (label {@code interface}) and the {@code snmp_ups_*} series.
 *
 * <p>Stateful: remembers the last uptime and counter readings. After a reboot the counters start
 * again, so no rate is given for that run.
 */
public final class SnmpCheck implements RateCheck {
  static final OID SYS_UP_TIME = SnmpNames.resolve("sysUpTime").oid();

  /** Opens a source for one run; production opens a {@link SnmpClient}. */
  interface Opener {
    SnmpSource open(SnmpConfig config) throws SnmpSource.SnmpException;
  }

  private record Reading(long value, long time, boolean counter32) {}

  private final SnmpConfig config;
  private final Opener opener;
  private Long lastTicks;
  private long lastTicksAt;
  private final Map<String, Reading> counters = new HashMap<>();
  // ifIndex of ports this check has seen up: their link going down is judged, boot or not.
  private final java.util.Set<Long> seenUp = new java.util.HashSet<>();

  public SnmpCheck(SnmpConfig config) {
    this(config, SnmpClient::new);
  }

  public SnmpCheck(SnmpConfig config, Opener opener) {
    this.config = config;
    this.opener = opener;
  }

  @Override
  public String kind() {
    return "snmp";
  }

  @Override
  public String name() {
    return "SNMP " + config.device();
  }

  @Override
  public void sample(CheckContext context) {
    run(context);
  }

  /** What one poll read. */
  private record Poll(
      Variable uptime,
      List<List<VariableBinding>> items,
      List<VariableBinding> ports,
      List<VariableBinding> upsScalars,
      List<VariableBinding> upsLoads,
      List<VariableBinding> upsAlarms) {}

  @Override
  public List<CheckResult> run(CheckContext context) {
    String device = config.device();
    Poll poll;
    try (SnmpSource source = opener.open(config)) {
      poll = poll(source);
    } catch (SnmpSource.SnmpException e) {
      Status s = e.unreachable() ? Status.CRITICAL : Status.UNKNOWN;
      return List.of(
          new CheckResult(
              name(),
              kind(),
              s,
              "SNMP " + s + " - " + e.getMessage(),
              context.now(),
              List.of(Metric.of("snmp_up", Map.of("device", device), 0, null))));
    }
    long now = context.now();
    boolean rebooted = false;
    String rebootText = null;
    Long ticks = poll.uptime() instanceof TimeTicks t ? t.getValue() : null;
    if (ticks != null) {
      if (lastTicks != null && rebooted(lastTicks, lastTicksAt, ticks, now)) {
        rebooted = true;
        rebootText =
            "rebooted: sysUpTime "
                + SnmpValues.uptime(ticks)
                + ", was "
                + SnmpValues.uptime(lastTicks);
        counters.clear();
      }
      lastTicks = ticks;
      lastTicksAt = now;
    }
    List<CheckResult> ports = new ArrayList<>();
    Map<String, Integer> notJudged = new java.util.TreeMap<>();
    if (poll.ports() != null) {
      if (rebooted) {
        seenUp.clear();
      }
      boolean listed = !config.interfaces().matchGlobs().isEmpty();
      for (SnmpPorts.Port p : SnmpPorts.parse(poll.ports())) {
        if (!SnmpPorts.selected(p, config.interfaces())) {
          continue;
        }
        String unused = listed ? null : SnmpPorts.unused(p, seenUp.contains(p.index()));
        if (p.oper() == 1) {
          seenUp.add(p.index());
        }
        if (unused != null) {
          notJudged.merge(unused, 1, Integer::sum);
          continue;
        }
        Double rate = portErrorRate(p, now, rebooted);
        ports.add(SnmpPorts.judge(device, p, config.interfaces(), rate, ticks, now));
      }
    }
    List<CheckResult> out = new ArrayList<>();
    out.add(deviceResult(poll, ticks, rebootText, notJudged, now));
    out.addAll(ports);
    if (poll.upsScalars() != null) {
      out.add(SnmpUps.judge(device, poll.upsScalars(), poll.upsLoads(), poll.upsAlarms(), now));
    }
    return out;
  }

  private Poll poll(SnmpSource source) throws SnmpSource.SnmpException {
    Variable uptime = source.get(List.of(SYS_UP_TIME)).get(0).getVariable();
    List<List<VariableBinding>> items = new ArrayList<>();
    List<OID> gets = new ArrayList<>();
    for (SnmpConfig.Item item : config.get()) {
      if (!item.target().walk()) {
        gets.add(item.target().oid());
      }
    }
    List<VariableBinding> got = gets.isEmpty() ? List.of() : source.get(gets);
    int g = 0;
    for (SnmpConfig.Item item : config.get()) {
      SnmpNames.Target t = item.target();
      items.add(t.walk() ? source.walk(t.oid()) : List.of(got.get(g++)));
    }
    List<VariableBinding> ports = null;
    if (config.interfaces() != null) {
      ports = new ArrayList<>();
      for (String column : SnmpPorts.COLUMNS) {
        ports.addAll(source.walk(SnmpNames.known(column).oid()));
      }
    }
    List<VariableBinding> upsScalars = null;
    List<VariableBinding> upsLoads = null;
    List<VariableBinding> upsAlarms = null;
    if (config.ups()) {
      upsScalars = source.get(SnmpUps.SCALARS);
      upsLoads = source.walk(SnmpUps.OUTPUT_LOAD);
      upsAlarms = source.walk(SnmpUpsAlarms.ALARM_DESCR);
    }
    return new Poll(uptime, items, ports, upsScalars, upsLoads, upsAlarms);
  }

  /**
   * True when {@code sysUpTime} went backwards between two polls and that is not its wrap at 2^32
   * hundredths of a second (497 days), judged from the wall time that passed.
   */
  static boolean rebooted(long beforeTicks, long beforeAt, long nowTicks, long nowAt) {
    if (nowTicks >= beforeTicks) {
      return false;
    }
    long elapsedTicks = Math.max(0, nowAt - beforeAt) / 10;
    long expected = beforeTicks + elapsedTicks;
    long slack = 6000 + elapsedTicks / 10;
    return expected + slack < SnmpValues.COUNTER32_MODULUS;
  }

  private CheckResult deviceResult(
      Poll poll, Long ticks, String rebootText, Map<String, Integer> notJudged, long now) {
    String device = config.device();
    Map<String, String> labels = Map.of("device", device);
    List<Metric> metrics = new ArrayList<>();
    metrics.add(Metric.of("snmp_up", labels, 1, null));
    List<String> problems = new ArrayList<>();
    List<String> facts = new ArrayList<>();
    Status status = Status.OK;
    if (ticks != null) {
      metrics.add(Metric.of("snmp_uptime_seconds", labels, ticks / 100.0, "s"));
      facts.add("up " + SnmpValues.uptime(ticks));
    }
    if (rebootText != null) {
      status = Status.WARNING;
      problems.add(rebootText);
    }
    for (int i = 0; i < config.get().size(); i++) {
      SnmpConfig.Item item = config.get().get(i);
      List<VariableBinding> values = poll.items().get(i);
      if (values.isEmpty()) {
        status = status.worse(Status.UNKNOWN);
        problems.add(
            "nothing under "
                + SnmpNames.describe(item.target().oid())
                + " ("
                + item.target().oid()
                + ")");
        continue;
      }
      for (VariableBinding vb : values) {
        Judged j = judge(device, item, vb, rate(vb, now), now, values.size() > 1);
        status = status.worse(j.status());
        (j.status() == Status.OK ? facts : problems).add(j.text());
        metrics.addAll(j.metrics());
      }
    }
    notJudged.forEach(
        (why, n) ->
            facts.add(
                n
                    + (why.equals("virtual") ? " virtual interface" : " port")
                    + (n == 1 ? "" : "s")
                    + (why.equals("virtual")
                        ? ""
                        : why.equals("dormant") ? " dormant" : " with " + why)
                    + " not judged"));
    List<String> all = new ArrayList<>(problems);
    all.addAll(facts);
    return new CheckResult(
        name(),
        kind(),
        status,
        "SNMP " + status + " - " + device + (all.isEmpty() ? "" : " " + String.join(", ", all)),
        now,
        metrics);
  }

  /** The judged value of one object. */
  record Judged(Status status, String text, List<Metric> metrics) {}

  /**
   * Judges one value against its item's thresholds; pure.
   *
   * @param rate for a counter: its increase per second since the last run, or null (first run)
   * @param row true when the item was walked, so the text names the row even with a label
   */
  static Judged judge(
      String device, SnmpConfig.Item item, VariableBinding vb, Double rate, long now, boolean row) {
    String object = SnmpNames.describe(vb.getOid());
    String shown = item.label() == null ? object : row ? item.label() + " " + object : item.label();
    Variable v = vb.getVariable();
    if (SnmpValues.missing(v)) {
      return new Judged(
          Status.UNKNOWN,
          shown + " " + SnmpValues.missingName(v) + " (" + vb.getOid() + ")",
          List.of());
    }
    Map<String, String> labels = Map.of("device", device, "object", object);
    List<Metric> metrics = new ArrayList<>();
    Double number = SnmpValues.number(v);
    boolean thresholds = item.warning() != null || item.critical() != null;
    if (SnmpValues.counter(v)) {
      metrics.add(Metric.of("snmp_value", labels, number, null));
      if (rate == null) {
        return new Judged(
            Status.OK, shown + " " + Levels.number(number) + " (first sample)", metrics);
      }
      metrics.add(
          new Metric(
              "snmp_rate_per_second",
              labels,
              rate,
              null,
              item.warning() == null ? null : item.warning().perfdata(),
              item.critical() == null ? null : item.critical().perfdata(),
              null,
              null));
      return threshold(item, rate, shown + " " + SnmpValues.rate(rate), metrics);
    }
    if (number == null) {
      if (thresholds) {
        return new Judged(Status.UNKNOWN, shown + " is not a number: \"" + v + "\"", metrics);
      }
      return new Judged(Status.OK, shown + " " + v, metrics);
    }
    metrics.add(
        new Metric(
            "snmp_value",
            labels,
            number,
            v instanceof TimeTicks ? "s" : null,
            item.warning() == null ? null : item.warning().perfdata(),
            item.critical() == null ? null : item.critical().perfdata(),
            null,
            null));
    String text =
        v instanceof TimeTicks t
            ? shown + " " + SnmpValues.uptime(t.getValue())
            : shown + " " + Levels.number(number);
    return threshold(item, number, text, metrics);
  }

  private static Judged threshold(
      SnmpConfig.Item item, double value, String text, List<Metric> metrics) {
    if (item.critical() != null && item.critical().alerts(value)) {
      return new Judged(Status.CRITICAL, text + " (critical " + item.critical() + ")", metrics);
    }
    if (item.warning() != null && item.warning().alerts(value)) {
      return new Judged(Status.WARNING, text + " (warning " + item.warning() + ")", metrics);
    }
    return new Judged(Status.OK, text, metrics);
  }

  /** A counter's rate per second since the last run, remembering this reading; else null. */
  private Double rate(VariableBinding vb, long now) {
    Variable v = vb.getVariable();
    if (!SnmpValues.counter(v)) {
      return null;
    }
    return rate(vb.getOid().toDottedString(), v.toLong(), v instanceof Counter32, now);
  }

  private Double rate(String key, long value, boolean counter32, long now) {
    Reading before = counters.put(key, new Reading(value, now, counter32));
    if (before == null || now <= before.time()) {
      return null;
    }
    Long delta = SnmpValues.delta(before.value(), value, counter32);
    return delta == null ? null : delta * 1000.0 / (now - before.time());
  }

  private Double portErrorRate(SnmpPorts.Port p, long now, boolean rebooted) {
    if (p.inErrors() == null && p.outErrors() == null) {
      return null;
    }
    Double in =
        p.inErrors() == null
            ? Double.valueOf(0)
            : rate("if-in." + p.index(), p.inErrors(), true, now);
    Double out =
        p.outErrors() == null
            ? Double.valueOf(0)
            : rate("if-out." + p.index(), p.outErrors(), true, now);
    return rebooted || in == null || out == null ? null : in + out;
  }
}
