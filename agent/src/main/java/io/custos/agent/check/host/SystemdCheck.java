package io.custos.agent.check.host;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.Schedule;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a systemd unit, from {@code systemctl show -p LoadState -p ActiveState -p SubState
 * <unit>}. See {@link SystemdConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: systemd, unit: nginx.service }
 * }</pre>
 *
 * <p>One service, {@code Unit nginx.service}: OK when active ({@code SYSTEMD OK - nginx.service
 * active (running)}); WARNING while activating, deactivating or reloading; CRITICAL when failed,
 * inactive or not found. Metric {@code systemd_unit_active} (0/1).
 *
 * <p>Failure behaviour: no {@code systemctl} (not a systemd machine), a timeout or output without
 * ActiveState is UNKNOWN with the reason.
 */
public final class SystemdCheck implements Check {
  private final SystemdConfig config;
  private final Schedule schedule;
  private final CommandRunner runner;

  public SystemdCheck(SystemdConfig config) {
    this(config, CommandRunner.SYSTEM);
  }

  /** With every shared key at the kind's default. */
  public SystemdCheck(SystemdConfig config, CommandRunner runner) {
    this(config, config.defaultSchedule(), runner);
  }

  /**
   * The check for one {@code checks:} entry: its own keys, its shared keys ({@code name}, {@code
   * timeout}), and the runner through which it starts programs.
   */
  public SystemdCheck(SystemdConfig config, Schedule schedule, CommandRunner runner) {
    this.config = config;
    this.schedule = schedule;
    this.runner = runner;
  }

  @Override
  public String kind() {
    return "systemd";
  }

  @Override
  public String name() {
    return "Unit " + config.unit();
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws Exception {
    Duration limit = Schedule.ownTimeout(schedule.timeout());
    CommandRunner.Output o;
    try {
      o =
          runner.run(
              List.of(
                  "systemctl",
                  "show",
                  "-p",
                  "LoadState",
                  "-p",
                  "ActiveState",
                  "-p",
                  "SubState",
                  "--",
                  config.unit()),
              limit);
    } catch (java.io.IOException e) {
      return List.of(unknown("cannot run systemctl: " + e.getMessage(), context.now()));
    }
    if (o.timedOut()) {
      return List.of(
          unknown("systemctl timed out after " + CheckRunner.format(limit), context.now()));
    }
    return List.of(result(config.unit(), parse(o.stdout()), o.stderr(), context.now(), name()));
  }

  /** The {@code Key=value} lines of {@code systemctl show}. */
  static Map<String, String> parse(String text) {
    Map<String, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    return out;
  }

  /** The result for a unit's properties; pure. */
  static CheckResult result(
      String unit, Map<String, String> p, String stderr, long now, String service) {
    String active = p.get("ActiveState");
    if (active == null) {
      String why = stderr == null || stderr.isBlank() ? "no ActiveState" : stderr.strip();
      return new CheckResult(
          service,
          "systemd",
          Status.UNKNOWN,
          "SYSTEMD UNKNOWN - " + unit + ": " + why.replaceAll("[\\r\\n]+", " "),
          now,
          List.of());
    }
    String sub = p.getOrDefault("SubState", "");
    Status status;
    String text = unit + " " + active + (sub.isEmpty() ? "" : " (" + sub + ")");
    if ("not-found".equals(p.get("LoadState"))) {
      status = Status.CRITICAL;
      text = unit + " not found";
    } else {
      status =
          switch (active) {
            case "active" -> Status.OK;
            case "activating", "deactivating", "reloading" -> Status.WARNING;
            default -> Status.CRITICAL;
          };
    }
    return new CheckResult(
        service,
        "systemd",
        status,
        "SYSTEMD " + status + " - " + text,
        now,
        List.of(
            Metric.of(
                "systemd_unit_active",
                Map.of("unit", unit),
                "active".equals(active) ? 1 : 0,
                null)));
  }

  private CheckResult unknown(String why, long now) {
    return new CheckResult(
        name(), kind(), Status.UNKNOWN, "SYSTEMD UNKNOWN - " + why, now, List.of());
  }
}
