package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.ship.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code custos-agent run} does on SIGHUP, without the signal. The refusals are logged; what
 * is checked here is that the running configuration stays.
 */
class AgentDaemonTest {
  @TempDir Path dir;
  Path file;
  AgentDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("agent.yml");
    write("interval: 1h\n");
    AgentMain.Env env =
        new AgentMain.Env(Map.of("CUSTOS_TOKEN", "cst_node_test"), file, Path.of("/"));
    daemon = AgentDaemon.start(file, env, Path.of("/"), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  // Nothing listens on port 1: the first cycle's report stays in the spool.
  private void write(String extra) throws Exception {
    Files.writeString(
        file,
        "node: web01\ncollector: { url: 'http://127.0.0.1:1' }\nchecks: []\nspool: { directory: '"
            + dir.resolve("spool")
            + "' }\n"
            + extra);
  }

  @Test
  void anInvalidFileIsRefusedAndTheRunningConfigurationStays() throws Exception {
    write("interval: 2h\ninterva: 3h\n");

    assertThat(daemon.reload()).isFalse();

    assertThat(daemon.config().interval()).isEqualTo(Duration.ofHours(1));
    assertThat(daemon.failed()).isFalse();
  }

  @Test
  void aTokenFileThatDoesNotExistIsRefused() throws Exception {
    write("interval: 2h\ncollector: { token_file: '" + dir.resolve("none.token") + "' }\n");

    assertThat(daemon.reload()).isFalse();

    assertThat(daemon.config().interval()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aValidFileReplacesTheRunningAgent() throws Exception {
    write("interval: 2h\ntags: [web]\n");

    assertThat(daemon.reload()).isTrue();

    assertThat(daemon.config().interval()).isEqualTo(Duration.ofHours(2));
    assertThat(daemon.config().tags()).containsExactly("web");
  }

  // The spool's lock (one agent per spool) must pass from the old agent to the new one: the old
  // one releases it before the new one is built, and the new one holds it against any other agent.
  @Test
  void aReloadOnTheSameSpoolTakesItsLockOver() throws Exception {
    write("interval: 2h\n");

    assertThat(daemon.reload()).isTrue();
    assertThat(daemon.reload()).isTrue();

    assertThat(daemon.failed()).isFalse();
    assertThatThrownBy(() -> new Spool(dir.resolve("spool"), 1 << 20, Clock.systemUTC()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(".lock");
  }

  @Test
  void aFileWithTwoChecksReportingOneServiceIsRefused() throws Exception {
    Files.writeString(
        file,
        "node: web01\ncollector: { url: 'http://127.0.0.1:1' }\ninterval: 2h\n"
            + "checks:\n  - { type: load }\n  - { type: load, interval: 5m }\n"
            + "spool: { directory: '"
            + dir.resolve("spool")
            + "' }\n");

    assertThat(daemon.reload()).isFalse();

    assertThat(daemon.config().interval()).isEqualTo(Duration.ofHours(1));
    assertThat(daemon.failed()).isFalse();
  }

  @Test
  void aValidFileWhoseSpoolCannotBeMadeFallsBackToTheRunningConfiguration() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    Files.writeString(
        file,
        "node: web01\ncollector: { url: 'http://127.0.0.1:1' }\nchecks: []\ninterval: 2h\n"
            + "spool: { directory: '"
            + notADirectory.resolve("spool")
            + "' }\n");

    assertThat(daemon.reload()).isFalse();

    assertThat(daemon.config().interval()).isEqualTo(Duration.ofHours(1));
    assertThat(daemon.failed()).isFalse();
  }
}
