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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Logged-in users, from {@code who} (which reads utmp). See {@link UsersConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: users, warning: 5, critical: 10 }
 * }</pre>
 *
 * <p>One service, {@code Users}: {@code USERS OK - 2 sessions, users alice, bob}; WARNING or
 * CRITICAL when the session count is above the limits, like check_users. Metrics {@code
 * users_sessions} and {@code users_distinct}.
 *
 * <p>Failure behaviour: {@code who} missing, failing or timing out is UNKNOWN with the reason.
 */
public final class UsersCheck implements Check {
  private final UsersConfig config;
  private final Schedule schedule;
  private final CommandRunner runner;

  public UsersCheck(UsersConfig config) {
    this(config, CommandRunner.SYSTEM);
  }

  /** With every shared key at the kind's default. */
  public UsersCheck(UsersConfig config, CommandRunner runner) {
    this(config, config.defaultSchedule(), runner);
  }

  /**
   * The check for one {@code checks:} entry: its own keys, its shared keys ({@code name}, {@code
   * timeout}), and the runner through which it starts programs.
   */
  public UsersCheck(UsersConfig config, Schedule schedule, CommandRunner runner) {
    this.config = config;
    this.schedule = schedule;
    this.runner = runner;
  }

  @Override
  public String kind() {
    return "users";
  }

  @Override
  public String name() {
    return "Users";
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws Exception {
    Duration limit = Schedule.ownTimeout(schedule.timeout());
    CommandRunner.Output o = runner.run(List.of("who"), limit);
    if (o.timedOut() || o.exit() != 0) {
      String why =
          o.timedOut()
              ? "timed out after " + CheckRunner.format(limit)
              : "exit " + o.exit() + " " + o.stderr().strip();
      return List.of(
          new CheckResult(
              name(),
              kind(),
              Status.UNKNOWN,
              ("USERS UNKNOWN - who: " + why).replaceAll("[\\r\\n]+", " "),
              context.now(),
              List.of()));
    }
    return List.of(result(parseWho(o.stdout()), config, context.now()));
  }

  /** The user of each session line of {@code who}. */
  static List<String> parseWho(String text) {
    List<String> users = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (!f[0].isEmpty()) {
        users.add(f[0]);
      }
    }
    return users;
  }

  /** The result for the sessions' users; pure. */
  static CheckResult result(List<String> sessions, UsersConfig config, long now) {
    int n = sessions.size();
    Status status = Status.OK;
    if (config.critical() != null && n > config.critical()) {
      status = Status.CRITICAL;
    } else if (config.warning() != null && n > config.warning()) {
      status = Status.WARNING;
    }
    TreeSet<String> distinct = new TreeSet<>(sessions);
    String text =
        n
            + (n == 1 ? " session" : " sessions")
            + (distinct.isEmpty() ? "" : ", users " + String.join(", ", distinct));
    return new CheckResult(
        "Users",
        "users",
        status,
        "USERS " + status + " - " + text,
        now,
        List.of(
            new Metric(
                "users_sessions",
                Map.of(),
                n,
                null,
                config.warning() == null ? null : config.warning().doubleValue(),
                config.critical() == null ? null : config.critical().doubleValue(),
                0.0,
                null),
            Metric.of("users_distinct", Map.of(), distinct.size(), null)));
  }
}
