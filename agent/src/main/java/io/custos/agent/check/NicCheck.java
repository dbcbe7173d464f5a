package io.custos.agent.check;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Link state, negotiated speed and duplex from {@code <root>/sys/class/net/<if>/{operstate,
 * carrier,speed,duplex}}. See {@link NicConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: nic, interface: eth0, expect: 1000baseT-FD }
 * }</pre>
 *
 * <p>One service per interface, {@code NIC eth0}: CRITICAL {@code NIC CRITICAL - eth0 link down}
 * when operstate is not up or there is no carrier; WARNING when below {@code expect} ({@code eth0
 * up, 100Mb/s half duplex, expected 1000baseT-FD}) or when speed or duplex changed since the last
 * run ({@code changed from 1000Mb/s full duplex}); OK otherwise. Metrics ({@code interface} label):
 * {@code nic_up} (0/1), {@code nic_speed_bits_per_second} and {@code nic_full_duplex} (0/1) when
 * the driver says.
 *
 * <p>Stateful (remembers the last speed and duplex per interface). Failure behaviour: a configured
 * interface that does not exist is UNKNOWN naming it; no physical interface at all is UNKNOWN "no
 * network interfaces".
 */
final class NicCheck implements Check {
  private final NicConfig config;
  private final Expect expect;
  private final Map<String, String> last = new HashMap<>();

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

  /**
   * One interface as sysfs shows it.
   *
   * @param speedMbps -1 when unknown (link down, virtual NIC)
   * @param duplex {@code full}, {@code half} or null
   */
  record Link(String name, String operstate, boolean carrier, long speedMbps, String duplex) {
    boolean up() {
      return "up".equals(operstate) && carrier;
    }

    String describe() {
      return (speedMbps > 0 ? speedMbps + "Mb/s" : "unknown speed")
          + (duplex != null ? " " + duplex + " duplex" : "");
    }
  }

  NicCheck(NicConfig config) {
    this.config = config;
    this.expect = config.expect() == null ? null : Expect.parse(config.expect());
  }

  @Override
  public String kind() {
    return "nic";
  }

  @Override
  public String name() {
    return config.iface() != null ? "NIC " + config.iface() : "NIC";
  }

  @Override
  public List<CheckResult> run(CheckContext context) {
    Path net = context.resolve("sys/class/net");
    List<String> names = new ArrayList<>();
    if (config.iface() != null) {
      names.add(config.iface());
    } else {
      for (String n : SysText.list(net)) {
        if (Files.exists(net.resolve(n).resolve("device"))) {
          names.add(n);
        }
      }
    }
    long now = context.now();
    if (names.isEmpty()) {
      return List.of(
          new CheckResult(
              name(),
              kind(),
              Status.UNKNOWN,
              "NIC UNKNOWN - no network interfaces",
              now,
              List.of()));
    }
    List<CheckResult> out = new ArrayList<>();
    for (String n : names) {
      Path dir = net.resolve(n);
      if (!Files.isDirectory(dir)) {
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
      Link link = read(n, dir);
      out.add(result(link, expect, config.changed() ? last.get(n) : null, now));
      if (link.up()) {
        last.put(n, link.describe());
      }
    }
    return out;
  }

  /** The interface's state from its sysfs directory. */
  static Link read(String name, Path dir) {
    String oper = SysText.read(dir.resolve("operstate"));
    Long carrier = SysText.readLong(dir.resolve("carrier"));
    Long speed = SysText.readLong(dir.resolve("speed"));
    String duplex = SysText.read(dir.resolve("duplex"));
    if (duplex != null && !duplex.equals("full") && !duplex.equals("half")) {
      duplex = null;
    }
    return new Link(
        name,
        oper == null ? "unknown" : oper,
        carrier != null && carrier == 1,
        speed == null || speed <= 0 ? -1 : speed,
        duplex);
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
