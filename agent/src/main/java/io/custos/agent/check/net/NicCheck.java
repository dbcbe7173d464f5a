package io.custos.agent.check.net;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Levels;
import io.custos.agent.check.os.Interfaces;
import io.custos.agent.check.os.Link;
import io.custos.agent.check.os.OshiNetworks;
import io.custos.agent.check.os.Platform;
import io.custos.agent.check.os.SysText;
import io.custos.common.match.Globs;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Link state, negotiated speed, duplex and error counters from {@code
 * <root>/sys/class/net/<if>/{operstate,carrier,flags,speed,duplex,statistics/*}}. See {@link
 * NicConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: nic, interface: eth0, expect: 1000baseT-FD }
 * }</pre>
 *
 * <p>One service per interface, {@code NIC eth0}: CRITICAL {@code NIC CRITICAL - eth0 link down}
 * when there is no carrier or operstate is neither {@code up} nor {@code unknown} (USB and some
 * drivers never report operstate, so {@code unknown} with carrier 1 is up); WARNING when below
 * {@code expect} ({@code eth0 up, 100Mb/s half duplex, expected 1000baseT-FD}), when speed or
 * duplex changed since the last run ({@code changed from 1000Mb/s full duplex}), or when receive
 * plus transmit errors reach {@code errors} per second; OK otherwise. A port that is
 * administratively down (its {@code flags} lack {@code IFF_UP}) is not judged unless it is named:
 * {@code NIC OK - eth1 administratively down, not judged}. Speeds that mean "unknown" ({@code -1},
 * {@code 0}, {@code 65535}, {@code 4294967295}) are shown as unknown, never as a speed.
 *
 * <p>Metrics ({@code interface} label): {@code nic_up} (0/1), {@code nic_speed_bits_per_second} and
 * {@code nic_full_duplex} (0/1) when the driver says, the counters {@code
 * nic_receive_errors_total}, {@code nic_transmit_errors_total}, {@code nic_receive_drops_total},
 * {@code nic_transmit_drops_total}, {@code nic_receive_crc_errors_total}, {@code
 * nic_carrier_changes_total} where sysfs has them, and {@code nic_errors_per_second} from the
 * second run on.
 *
 * <p>Stateful (remembers the last speed, duplex and counters per interface). A counter that went
 * backwards (driver reloaded) is a lost sample: the last error verdict is kept for that run.
 * Failure behaviour: a configured interface that does not exist is UNKNOWN naming it; no physical
 * interface at all is UNKNOWN "no network interfaces".
 */
public final class NicCheck implements Check {
  // counter file (under the interface directory) -> metric name
  private static final Map<String, String> COUNTERS = counters();

  private final NicConfig config;
  private final Expect expect;
  private final Map<String, String> last = new HashMap<>();
  private final Map<String, Sample> lastSample = new HashMap<>();
  private final Map<String, String> lastErrorProblem = new HashMap<>();
  private final Function<CheckContext, Map<String, Link>> portable;

  private static Map<String, String> counters() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("statistics/rx_errors", "nic_receive_errors_total");
    m.put("statistics/tx_errors", "nic_transmit_errors_total");
    m.put("statistics/rx_dropped", "nic_receive_drops_total");
    m.put("statistics/tx_dropped", "nic_transmit_drops_total");
    m.put("statistics/rx_crc_errors", "nic_receive_crc_errors_total");
    m.put("carrier_changes", "nic_carrier_changes_total");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** An expected link: speed in Mb/s, and whether full duplex is required. */
  record Expect(long mbps, boolean fullDuplex, String text) {
    private static final Pattern P =
        Pattern.compile(
            "(\\d+)(?:base[a-z0-9]*)?(?:[-/ ]?(fd|hd|full|half))?", Pattern.CASE_INSENSITIVE);

    static Expect parse(String text) {
      Matcher m = P.matcher(text.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "expect: expected a link such as 1000baseT-FD, 100-HD or 1000, got \"" + text + "\"");
      }
      String d = m.group(2) == null ? "fd" : m.group(2).toLowerCase(Locale.ROOT);
      return new Expect(
          Long.parseLong(m.group(1)), d.equals("fd") || d.equals("full"), text.strip());
    }
  }

  /** Counters of one interface at one time (clock millis). */
  record Sample(Map<String, Long> counters, long time) {}

  public NicCheck(NicConfig config) {
    this(
        config,
        context ->
            Platform.oshi(context)
                ? OshiNetworks.links(new oshi.SystemInfo().getHardware().getNetworkIFs())
                : null);
  }

  /**
   * @param portable the ports by name where sysfs does not apply (see {@link Platform#oshi}), or
   *     null to read {@code sys/class/net} under the root
   */
  public NicCheck(NicConfig config, Function<CheckContext, Map<String, Link>> portable) {
    this.config = config;
    this.expect = config.expect() == null ? null : Expect.parse(config.expect());
    this.portable = portable;
  }

  @Override
  public String kind() {
    return "nic";
  }

  @Override
  public String name() {
    return config.iface() != null ? "NIC " + config.iface() : "NIC";
  }

  /**
   * The interfaces to look at, in name order; and which of them were named (judged even if down).
   */
  private List<String> select(List<String> physical, List<String> named) {
    if (config.iface() != null) {
      named.add(config.iface());
      return List.of(config.iface());
    }
    java.util.TreeSet<String> names = new java.util.TreeSet<>(physical);
    for (String p : config.include()) {
      if (Globs.literal(p)) {
        names.add(p);
        named.add(p);
      }
    }
    List<String> out = new ArrayList<>();
    for (String n : names) {
      boolean in = config.include().isEmpty() || Globs.any(config.include(), n);
      if (in && !Globs.any(config.exclude(), n)) {
        out.add(n);
      }
    }
    return out;
  }

  @Override
  public List<CheckResult> run(CheckContext context) {
    Path net = context.resolve("sys/class/net");
    Map<String, Link> ported = portable.apply(context);
    List<String> named = new ArrayList<>();
    List<String> names =
        select(
            ported != null ? new ArrayList<>(ported.keySet()) : Interfaces.physical(context.root()),
            named);
    long now = context.now();
    if (names.isEmpty()) {
      return List.of(
          new CheckResult(
              name(),
              kind(),
              Status.UNKNOWN,
              "NIC UNKNOWN - no network interfaces in " + net,
              now,
              List.of()));
    }
    List<CheckResult> out = new ArrayList<>();
    for (String n : names) {
      Path dir = net.resolve(n);
      if (ported != null ? !ported.containsKey(n) : !Files.isDirectory(dir)) {
        out.add(
            new CheckResult(
                "NIC " + n,
                kind(),
                Status.UNKNOWN,
                "NIC UNKNOWN - no interface " + n + " in " + net,
                now,
                List.of()));
        continue;
      }
      Link link = ported != null ? ported.get(n) : read(n, dir);
      if (!link.adminUp() && !named.contains(n)) {
        out.add(
            new CheckResult(
                "NIC " + n,
                kind(),
                Status.OK,
                "NIC OK - " + n + " administratively down, not judged",
                now,
                List.of(Metric.of("nic_up", Map.of("interface", n), 0, null))));
        continue;
      }
      CheckResult r = result(link, expect, config.changed() ? last.get(n) : null, now);
      out.add(withErrors(r, link, now));
      if (link.up()) {
        last.put(n, link.describe());
      }
    }
    return out;
  }

  /** {@code r} with the error counters and, from the second sample on, the error rate judged. */
  private CheckResult withErrors(CheckResult r, Link link, long now) {
    Map<String, String> label = Map.of("interface", link.name());
    List<Metric> metrics = new ArrayList<>(r.metrics());
    link.counters()
        .forEach((file, v) -> metrics.add(Metric.of(COUNTERS.get(file), label, v, null)));
    Sample before = lastSample.put(link.name(), new Sample(link.counters(), now));
    String problem = null;
    if (before != null && now > before.time() && !link.counters().isEmpty()) {
      boolean backwards =
          link.counters().entrySet().stream()
              .anyMatch(e -> e.getValue() < before.counters().getOrDefault(e.getKey(), 0L));
      if (backwards) {
        String kept = lastErrorProblem.get(link.name());
        problem = kept == null ? null : kept + " (counter went backwards, last rate kept)";
      } else {
        long prior =
            before.counters().getOrDefault("statistics/rx_errors", 0L)
                + before.counters().getOrDefault("statistics/tx_errors", 0L);
        double rate = (link.errors() - prior) * 1000.0 / (now - before.time());
        metrics.add(
            new Metric(
                "nic_errors_per_second", label, rate, null, config.errors(), null, 0.0, null));
        if (rate >= config.errors()) {
          problem =
              String.format(
                  Locale.ROOT,
                  "%.1f errors/s (warning %s/s)",
                  rate,
                  Levels.number(config.errors()));
        }
        if (problem == null) {
          lastErrorProblem.remove(link.name());
        } else {
          lastErrorProblem.put(link.name(), problem);
        }
      }
    }
    Status status = r.status();
    String output = r.output();
    if (problem != null && status != Status.CRITICAL) {
      status = Status.WARNING;
      output = "NIC WARNING - " + output.substring(output.indexOf(" - ") + 3) + ", " + problem;
    }
    return new CheckResult(r.service(), r.check(), status, output, now, metrics);
  }

  /** The interface's state from its sysfs directory. */
  static Link read(String name, Path dir) {
    String oper = SysText.read(dir.resolve("operstate"));
    Long carrier = SysText.readLong(dir.resolve("carrier"));
    String duplex = SysText.read(dir.resolve("duplex"));
    if (duplex != null && !duplex.equals("full") && !duplex.equals("half")) {
      duplex = null;
    }
    long flags = Interfaces.flags(dir);
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String file : COUNTERS.keySet()) {
      Long v = SysText.readLong(dir.resolve(file));
      if (v != null && v >= 0) {
        counters.put(file, v);
      }
    }
    return new Link(
        name,
        oper == null ? "unknown" : oper,
        carrier != null && carrier == 1,
        Interfaces.speedMbps(SysText.readLong(dir.resolve("speed"))),
        duplex,
        flags < 0 || (flags & 1) == 1,
        counters);
  }

  /** The result for one link; {@code previous} is its last description, or null; pure. */
  static CheckResult result(Link link, Expect expect, String previous, long now) {
    Map<String, String> label = Map.of("interface", link.name());
    List<Metric> metrics = new ArrayList<>();
    metrics.add(Metric.of("nic_up", label, link.up() ? 1 : 0, null));
    if (link.speedMbps() > 0) {
      metrics.add(
          Metric.of("nic_speed_bits_per_second", label, link.speedMbps() * 1_000_000.0, null));
    }
    if (link.duplex() != null) {
      metrics.add(Metric.of("nic_full_duplex", label, link.duplex().equals("full") ? 1 : 0, null));
    }
    Status status;
    String text;
    if (!link.up()) {
      status = Status.CRITICAL;
      text =
          link.name()
              + " link down (operstate "
              + link.operstate()
              + (link.carrier() ? "" : ", no carrier")
              + ")";
    } else {
      status = Status.OK;
      text = link.name() + " up, " + link.describe();
      if (expect != null
          && (link.speedMbps() > 0 && link.speedMbps() < expect.mbps()
              || expect.fullDuplex() && "half".equals(link.duplex()))) {
        status = Status.WARNING;
        text += ", expected " + expect.text();
      }
      if (previous != null && !previous.equals(link.describe())) {
        status = status.worse(Status.WARNING);
        text += ", changed from " + previous;
      }
    }
    return new CheckResult(
        "NIC " + link.name(), "nic", status, "NIC " + status + " - " + text, now, metrics);
  }
}
