package io.custos.agent.check;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Linux bonding and LACP from {@code <root>/proc/net/bonding/<bond>}. See {@link BondConfig} for
 * the YAML:
 *
 * <pre>{@code
 * - { type: bond, interface: bond0 }
 * }</pre>
 *
 * <p>One service per bond, {@code Bond bond0}. CRITICAL when the bond's MII status is down or no
 * slave is up; WARNING when a slave is down ({@code eno2 down (1 of 2 slaves up)}) or, in 802.3ad
 * mode, when a slave sits in another aggregator than the active one — the switch ports are not in
 * one LAG, so that slave carries no traffic ({@code eno2 in aggregator 2, not the active aggregator
 * 1}). OK shows the mode, slaves up and, for active-backup, the active slave. Metrics ({@code bond}
 * label): {@code bond_up}, {@code bond_slaves}, {@code bond_slaves_up}.
 *
 * <p>Failure behaviour: a configured bond that is missing is CRITICAL; no bonds at all (none
 * configured) is OK "no bonds"; an unreadable file throws, and so becomes UNKNOWN.
 */
final class BondCheck implements Check {
  private final BondConfig config;

  BondCheck(BondConfig config) {
    this.config = config;
  }

  /** A slave: interface name, MII status, aggregator ID (-1 outside 802.3ad). */
  record Slave(String name, boolean up, int aggregator) {}

  /** A bond as its {@code /proc/net/bonding} file shows it. */
  record Bond(
      String name,
      String mode,
      boolean up,
      String activeSlave,
      int activeAggregator,
      List<Slave> slaves) {
    boolean lacp() {
      return mode.startsWith("IEEE 802.3ad");
    }
  }

  @Override
  public String kind() {
    return "bond";
  }

  @Override
  public String name() {
    return config.iface() != null ? "Bond " + config.iface() : "Bonds";
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    Path dir = context.resolve("proc/net/bonding");
    List<String> names = config.iface() != null ? List.of(config.iface()) : SysText.list(dir);
    long now = context.now();
    if (names.isEmpty()) {
      return List.of(
          new CheckResult(name(), kind(), Status.OK, "BOND OK - no bonds", now, List.of()));
    }
    List<CheckResult> out = new ArrayList<>();
    for (String n : names) {
      Path file = dir.resolve(n);
      if (!Files.exists(file)) {
        out.add(
            new CheckResult(
                "Bond " + n,
                kind(),
                Status.CRITICAL,
                "BOND CRITICAL - no bond " + n + " (" + file + " missing)",
                now,
                List.of()));
        continue;
      }
      out.add(result(parse(n, Files.readAllLines(file, StandardCharsets.UTF_8)), now));
    }
    return out;
  }

  /**
   * Parses one bonding file; the active aggregator ID is the one under "Active Aggregator Info".
   */
  static Bond parse(String name, List<String> lines) {
    String mode = "unknown";
    boolean up = false;
    String active = null;
    int activeAgg = -1;
    List<Slave> slaves = new ArrayList<>();
    String slave = null;
    boolean slaveUp = false;
    int slaveAgg = -1;
    boolean inActiveAgg = false;
    for (String raw : lines) {
      String line = raw.strip();
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (key.equals("Slave Interface")) {
        if (slave != null) {
          slaves.add(new Slave(slave, slaveUp, slaveAgg));
        }
        slave = value;
        slaveUp = false;
        slaveAgg = -1;
        inActiveAgg = false;
        continue;
      }
      if (key.equals("Active Aggregator Info")) {
        inActiveAgg = true;
        continue;
      }
      switch (key) {
        case "Bonding Mode" -> mode = value;
        case "Currently Active Slave" -> active = value;
        case "MII Status" -> {
          if (slave == null) {
            up = value.equals("up");
          } else {
            slaveUp = value.equals("up");
          }
        }
        case "Aggregator ID" -> {
          int id = parseInt(value);
          if (slave != null) {
            slaveAgg = id;
          } else if (inActiveAgg) {
            activeAgg = id;
          }
        }
        default -> {
          // other keys are not judged
        }
      }
    }
    if (slave != null) {
      slaves.add(new Slave(slave, slaveUp, slaveAgg));
    }
    return new Bond(name, mode, up, active, activeAgg, slaves);
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The result for one bond; pure. */
  static CheckResult result(Bond b, long now) {
    long upCount = b.slaves().stream().filter(Slave::up).count();
    int total = b.slaves().size();
    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    if (!b.up()) {
      status = Status.CRITICAL;
      problems.add(b.name() + " down");
    }
    if (upCount == 0) {
      status = Status.CRITICAL;
      problems.add("no slave up (" + total + " slaves)");
    } else {
      for (Slave s : b.slaves()) {
        if (!s.up()) {
          status = status.worse(Status.WARNING);
          problems.add(s.name() + " down (" + upCount + " of " + total + " slaves up)");
        }
      }
    }
    if (b.lacp() && b.activeAggregator() >= 0) {
      for (Slave s : b.slaves()) {
        if (s.up() && s.aggregator() >= 0 && s.aggregator() != b.activeAggregator()) {
          status = status.worse(Status.WARNING);
          problems.add(
              s.name()
                  + " in aggregator "
                  + s.aggregator()
                  + ", not the active aggregator "
                  + b.activeAggregator()
                  + " (switch ports not in one LAG?)");
        }
      }
    }
    String summary =
        b.name()
            + " "
            + b.mode()
            + ", "
            + upCount
            + " of "
            + total
            + " slaves up"
            + (b.activeSlave() != null && !b.activeSlave().equals("None")
                ? ", active " + b.activeSlave()
                : "")
            + (b.lacp() && b.activeAggregator() >= 0 ? ", aggregator " + b.activeAggregator() : "");
    String text = problems.isEmpty() ? summary : String.join("; ", problems) + " - " + summary;
    Map<String, String> label = Map.of("bond", b.name());
    List<Metric> metrics =
        List.of(
            Metric.of("bond_up", label, b.up() ? 1 : 0, null),
            Metric.of("bond_slaves", label, total, null),
            Metric.of("bond_slaves_up", label, upCount, null));
    return new CheckResult(
        "Bond " + b.name(), "bond", status, "BOND " + status + " - " + text, now, metrics);
  }
}
