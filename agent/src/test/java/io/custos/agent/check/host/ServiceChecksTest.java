package io.custos.agent.check.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.Fixtures;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** process over a captured /proc tree; systemd and users over captured command output. */
class ServiceChecksTest {
  private static final long NOW = 1_795_783_507_801L;

  private static CheckContext at(long millis) {
    return new CheckContext(
        Fixtures.root("procs"), Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
  }

  private static ProcessConfig match(String regex, Integer min, Integer max) {
    return new ProcessConfig(regex, null, min, max);
  }

  private static ProcessConfig pidfile(String file) {
    return new ProcessConfig(null, file, null, null);
  }

  @Test
  void sshdByNameCountsTheListenerAndSessions() throws Exception {
    CheckResult r = new ProcessCheck(match("sshd", null, null)).run(at(NOW)).get(0);

    assertThat(r.service()).isEqualTo("Process sshd");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .isEqualTo("PROCS OK - 3 processes matching sshd (pid 612, up 58m 23s, RSS 23.1 MiB)");
    assertThat(r.metrics())
        .contains(Metric.of("process_resident_bytes", Map.of(), 23680 * 1024, "B"));
  }

  @Test
  void cpuBetweenTwoRunsAndTooManyIsWarning() throws Exception {
    ProcessCheck check = new ProcessCheck(match("java .*app\\.jar", 1, 0 + 1));
    check.run(at(NOW));
    CheckResult r = check.run(at(NOW + 10_000)).get(0);
    // The fixture does not change between runs: 0% CPU.
    assertThat(r.output()).contains("CPU 0.0%");
    assertThat(new ProcessCheck(match("nginx", 1, 1)).run(at(NOW)).get(0).output())
        .startsWith("PROCS WARNING - 2 processes matching nginx")
        .endsWith(", expected at most 1");
  }

  @Test
  void notRunningIsCritical() throws Exception {
    CheckResult r = new ProcessCheck(match("postgres", null, null)).run(at(NOW)).get(0);
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo("PROCS CRITICAL - 0 processes matching postgres, expected at least 1");
  }

  @Test
  void pidfiles() throws Exception {
    assertThat(new ProcessCheck(pidfile("/run/nginx.pid")).run(at(NOW)).get(0).output())
        .startsWith("PROCS OK - 1 process from /run/nginx.pid (pid 890, up 58m 22s");
    assertThat(new ProcessCheck(pidfile("/run/crashed.pid")).run(at(NOW)).get(0).output())
        .isEqualTo("PROCS CRITICAL - /run/crashed.pid names pid 2999, which is not running");
    assertThat(new ProcessCheck(pidfile("/run/none.pid")).run(at(NOW)).get(0).output())
        .isEqualTo("PROCS CRITICAL - /run/none.pid missing");
  }

  @Test
  void statWithBlanksAndParenthesesInTheName() {
    String stat = "77 (tmux: server (1)) S 1 77 77 0 -1 0 0 0 0 0 5 7 0 0 20 0 1 0 999 0 0";
    assertThat(ProcessCheck.parseStat(stat)).containsExactly(12, 999);
  }

  @Test
  void processConfigValidation() {
    assertThatThrownBy(() -> match(null, null, null)).hasMessageContaining("got neither");
    assertThatThrownBy(() -> match("ss(hd", null, null)).hasMessageContaining("\"ss(hd\"");
  }

  private static CommandRunner answer(String fixture) {
    return (argv, timeout) ->
        new CommandRunner.Output(
            0, Files.readString(Fixtures.root("systemctl").resolve(fixture)), "", false);
  }

  private static SystemdConfig unit(String unit) {
    return new SystemdConfig(unit);
  }

  @Test
  void systemdStates() throws Exception {
    CheckContext c = at(NOW);
    assertThat(new SystemdCheck(unit("nginx"), answer("nginx-running.txt")).run(c).get(0))
        .extracting(CheckResult::service, CheckResult::status, CheckResult::output)
        .containsExactly(
            "Unit nginx.service", Status.OK, "SYSTEMD OK - nginx.service active (running)");
    assertThat(
            new SystemdCheck(unit("postgresql.service"), answer("postgresql-failed.txt"))
                .run(c)
                .get(0)
                .output())
        .isEqualTo("SYSTEMD CRITICAL - postgresql.service failed (failed)");
    assertThat(
            new SystemdCheck(unit("nosuch"), answer("nosuch-not-found.txt")).run(c).get(0).output())
        .isEqualTo("SYSTEMD CRITICAL - nosuch.service not found");
    assertThat(new SystemdCheck(unit("app"), answer("app-restarting.txt")).run(c).get(0).status())
        .isEqualTo(Status.WARNING);
  }

  @Test
  void systemdAsksForTheUnitWithoutAShell() throws Exception {
    List<List<String>> asked = new java.util.ArrayList<>();
    new SystemdCheck(
            unit("nginx"),
            (argv, t) -> {
              asked.add(argv);
              return new CommandRunner.Output(
                  1, "", "System has not been booted with systemd", false);
            })
        .run(at(NOW));
    assertThat(asked.get(0))
        .containsExactly(
            "systemctl",
            "show",
            "-p",
            "LoadState",
            "-p",
            "ActiveState",
            "-p",
            "SubState",
            "--",
            "nginx.service");
  }

  @Test
  void users() throws Exception {
    String who = Files.readString(Fixtures.root("who").resolve("three-sessions.txt"));
    UsersConfig limits = new UsersConfig(2, 5);
    CheckResult r =
        new UsersCheck(limits, (a, t) -> new CommandRunner.Output(0, who, "", false))
            .run(at(NOW))
            .get(0);

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output()).isEqualTo("USERS WARNING - 3 sessions, users alice, bob");
    assertThat(
            new UsersCheck(
                    UsersConfig.defaults(), (a, t) -> new CommandRunner.Output(0, "", "", false))
                .run(at(NOW))
                .get(0)
                .output())
        .isEqualTo("USERS OK - 0 sessions");
  }
}
