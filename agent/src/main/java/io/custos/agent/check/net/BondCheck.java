package io.custos.agent.check.net;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
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
 * <p>One service per bond, {@code Bond bond0}. CRITICAL when the bond's MII status is down, no
 * slave is up, or, in 802.3ad mode, the bond has no active aggregator ({@code bond bond0 has no
 * active aggregator}, every slave's {@code Aggregator ID: N/A}): nothing is sent. WARNING when a
 * slave is down ({@code eno2 down (1 of 2 slaves up)}) or, in 802.3ad mode, when a slave sits in
 * another aggregator than the active one — the switch ports are not in one LAG, so that slave
 * carries no traffic ({@code eno2 in aggregator 2, not the active aggregator 1}); when the active
 * aggregator's partner MAC is {@code 00:00:00:00:00:00} (LACP never negotiated with the switch);
 * when a slave's LACP state is churned or its partner unknown; and when the slaves run at mixed
 * speeds (they cannot share one aggregator). OK shows the mode, slaves up and, for active-backup,
 * the active slave. Metrics ({@code bond} label): {@code bond_up}, {@code bond_slaves}, {@code
 * bond_slaves_up}.
 *
 * <p>Failure behaviour: a configured bond that is missing is CRITICAL; no bonds at all (none
 * configured) is OK "no bonds"; an unreadable file throws, and so becomes UNKNOWN.
 */
public final class BondCheck implements Check {
  private final BondConfig config;

  public BondCheck(BondConfig config) {
    this.config = config;
  }

  /**
   * A slave.
   *
   * @param aggregator its aggregator ID, -1 outside 802.3ad, {@link #NOT_AGGREGATED} for {@code
   *     N/A}
   * @param speedMbps the link speed, -1 when unknown
   * @param churned the actor or partner churn state is {@code churned}
   * @param partnerMac the partner system MAC from its LACP details, or null
   */
  record Slave(
      String name, boolean up, int aggregator, long speedMbps, boolean churned, String partnerMac) {
    Slave(String name, boolean up, int aggregator) {
      this(name, up, aggregator, -1, false, null);
    }
  }

  static final String NO_MAC = "00:00:00:00:00:00";

  /** The aggregator ID of a slave in no aggregator ({@code Aggregator ID: N/A}). */
  static final int NOT_AGGREGATED = -2;

  /** A bond as its {@code /proc/net/bonding} file shows it. */
  record Bond(
      String name,
      String mode,
      boolean up,
      String activeSlave,
      int activeAggregator,
      List<Slave> slaves,
      boolean noActiveAggregator,
      String partnerMac) {
    Bond(
        String name,
        String mode,
        boolean up,
        String activeSlave,
        int activeAggregator,
        List<Slave> slaves) {
      this(name, mode, up, activeSlave, activeAggregator, slaves, false, null);
    }

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
      out.add(result(parse(n, SysText.lines(file)), now));
    }
    return out;
  }

  /**
   * Parses one bonding file; the active aggregator ID is the one under "Active Aggregator Info".
   */
  public static Bond parse(String name, List<String> lines) {
    String mode = "unknown";
    boolean up = false;
    String active = null;
    int activeAgg = -1;
    boolean noActive = false;
    String bondPartner = null;
    List<Slave> slaves = new ArrayList<>();
    SlaveBuilder slave = null;
    String section = "";
    for (String raw : lines) {
      String line = raw.strip();
      if (line.matches("bond \\S+ has no active aggregator")) {
        noActive = true;
        continue;
      }
      if (line.startsWith("details ")) {
        section = line; // "details actor lacp pdu:" or "details partner lacp pdu:"
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (key.equals("Slave Interface")) {
        if (slave != null) {
          slaves.add(slave.build());
        }
        slave = new SlaveBuilder(value);
        section = "";
        continue;
      }
      if (key.equals("Active Aggregator Info")) {
        section = key;
        continue;
      }
      switch (key) {
        case "Bonding Mode" -> mode = value;
        case "Currently Active Slave" -> active = value;
        case "MII Status" -> {
          if (slave == null) {
            up = value.equals("up");
          } else {
            slave.up = value.equals("up");
          }
        }
        case "Aggregator ID" -> {
          int id = value.equals("N/A") ? NOT_AGGREGATED : parseInt(value);
          if (slave != null) {
            slave.aggregator = id;
          } else if (section.equals("Active Aggregator Info")) {
            activeAgg = id;
          }
        }
        case "Partner Mac Address" -> {
          if (slave == null) {
            bondPartner = value.toLowerCase(java.util.Locale.ROOT);
          }
        }
        case "system mac address" -> {
          if (slave != null && section.startsWith("details partner")) {
            slave.partnerMac = value.toLowerCase(java.util.Locale.ROOT);
          }
        }
        case "Speed" -> {
          if (slave != null) {
            String digits = value.split("\\s+")[0];
            slave.speed = digits.matches("\\d+") ? Long.parseLong(digits) : -1;
          }
        }
        case "Actor Churn State", "Partner Churn State" -> {
          if (slave != null && value.equals("churned")) {
            slave.churned = true;
          }
        }
        default -> {
          // other keys are not judged
        }
      }
    }
    if (slave != null) {
      slaves.add(slave.build());
    }
    return new Bond(name, mode, up, active, activeAgg, slaves, noActive, bondPartner);
  }

  private static final class SlaveBuilder {
    final String name;
    boolean up;
    int aggregator = -1;
    long speed = -1;
    boolean churned;
    String partnerMac;

    SlaveBuilder(String name) {
      this.name = name;
    }

    Slave build() {
      return new Slave(name, up, aggregator, speed, churned, partnerMac);
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The 802.3ad faults that do not concern one slave's aggregator: adds problems, worsens. */
  private static Status lacp(Bond b, Status status, List<String> problems) {
    if (b.noActiveAggregator()
        || !b.slaves().isEmpty()
            && b.slaves().stream().allMatch(s -> s.aggregator() == NOT_AGGREGATED)) {
      problems.add(
          b.name()
              + " has no active aggregator (Aggregator ID: N/A on "
              + String.join(", ", b.slaves().stream().map(Slave::name).toList())
              + "): LACP found no partner, nothing is sent");
      return status.worse(Status.CRITICAL);
    }
    if (NO_MAC.equals(b.partnerMac())) {
      status = status.worse(Status.WARNING);
      problems.add(
          "aggregator "
              + b.activeAggregator()
              + " has partner MAC "
              + NO_MAC
              + " (LACP never negotiated with the switch)");
    }
    for (Slave s : b.slaves()) {
      boolean elsewhere = s.aggregator() >= 0 && s.aggregator() != b.activeAggregator();
      if (s.up() && !elsewhere && (s.churned() || NO_MAC.equals(s.partnerMac()))) {
        status = status.worse(Status.WARNING);
        problems.add(
            s.name()
                + (s.churned() ? " LACP churned" : " has no LACP partner")
                + " (the switch port does not answer LACP)");
      }
    }
    List<Long> speeds =
        b.slaves().stream()
            .filter(s -> s.up() && s.speedMbps() > 0)
            .map(Slave::speedMbps)
            .distinct()
            .toList();
    if (speeds.size() > 1) {
      status = status.worse(Status.WARNING);
      problems.add(
          "mixed slave speeds ("
              + String.join(
                  ", ",
                  b.slaves().stream()
                      .filter(s -> s.up() && s.speedMbps() > 0)
                      .map(s -> s.name() + " " + s.speedMbps() + "Mb/s")
                      .toList())
              + "): they cannot share one aggregator");
    }
    return status;
  }

  /** The result for one bond; pure. */
  public static CheckResult result(Bond b, long now) {
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
    if (b.lacp() && upCount > 0) {
      status = lacp(b, status, problems);
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
