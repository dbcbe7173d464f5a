package io.custos.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.Role;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorMainTest {
  @TempDir Path dir;
  Path config;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void writeConfig() throws Exception {
    config =
        Files.writeString(
            dir.resolve("collector.yml"),
            "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("data/c.db") + "' }\n");
  }

  int run(String... args) {
    out.reset();
    err.reset();
    return CollectorMain.execute(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpAndVersion() {
    assertThat(run("--help")).isZero();
    assertThat(out())
        .contains("run")
        .contains("check-config")
        .contains("token")
        .contains("Exit codes: 0 ok, 2 failure");
    assertThat(run("token", "create", "--help")).isZero();
    assertThat(out()).contains("--node=NAME").contains("--role=ROLE").contains("--config=FILE");
    assertThat(run("--version")).isZero();
    assertThat(out()).startsWith("custos-collector ");
  }

  @Test
  void usageErrorsExit3() {
    assertThat(run()).isEqualTo(3);
    assertThat(err()).contains("missing command");
    assertThat(run("frobnicate")).isEqualTo(3);
    assertThat(run("token", "create", "--config", config.toString())).isEqualTo(3);
    assertThat(run("token", "create", "--node", "a", "--role", "admin")).isEqualTo(3);
    assertThat(run("token", "create", "--role", "node", "--config", config.toString()))
        .isEqualTo(3);
    assertThat(err()).contains("use --node NAME");
    assertThat(run("token", "create", "--node", "bad name!", "--config", config.toString()))
        .isEqualTo(3);
    assertThat(err()).contains("node: expected a host name");
  }

  @Test
  void checkConfigSaysOkOrNamesTheProblem() throws Exception {
    assertThat(run("check-config", "--config", config.toString())).isZero();
    assertThat(out()).isEqualTo("OK: " + config + System.lineSeparator());

    Path bad = Files.writeString(dir.resolve("bad.yml"), "listen: 127.0.0.1:1\nstroe: {}\n");
    assertThat(run("check-config", "--config", bad.toString())).isEqualTo(2);
    assertThat(err()).startsWith(bad + ":2: stroe: unknown key");

    assertThat(run("check-config", "--config", dir.resolve("missing.yml").toString())).isEqualTo(2);
    assertThat(err()).contains("no such file");
  }

  @Test
  void tokenCreatePrintsOnlyATokenThatWorks() throws Exception {
    assertThat(run("token", "create", "--node", "web01", "--config", config.toString())).isZero();
    String token = out().strip();
    assertThat(out().lines()).hasSize(1);
    assertThat(token).startsWith("cst_node_");
    assertThat(err()).contains("web01").contains("shown only this once");

    assertThat(run("token", "create", "--role", "operator", "--config", config.toString()))
        .isZero();
    String operator = out().strip();

    try (Collector c = Collector.start(CollectorConfig.load(config), Clock.systemUTC())) {
      assertThat(c.store().findToken(Tokens.hash(token)))
          .contains(new TokenOwner(Role.NODE, "web01"));
      assertThat(c.store().findToken(Tokens.hash(operator)))
          .contains(new TokenOwner(Role.OPERATOR, null));
    }
  }

  @Test
  void aViewerTokenWithKioskPrintsTheWallScreenUrl() throws Exception {
    assertThat(
            run(
                "token",
                "create",
                "--role",
                "viewer",
                "--kiosk",
                "--url",
                "http://collector:8480/",
                "--config",
                config.toString()))
        .isZero();
    String url = out().strip();
    assertThat(url).startsWith("http://collector:8480/#token=cst_viewer_");
    String token = url.substring(url.indexOf("#token=") + 7);
    try (Collector c = Collector.start(CollectorConfig.load(config), Clock.systemUTC())) {
      assertThat(c.store().findToken(Tokens.hash(token)))
          .contains(new TokenOwner(Role.VIEWER, null));
    }

    assertThat(run("token", "create", "--role", "viewer", "--kiosk", "--config", config.toString()))
        .isZero();
    assertThat(out().strip()).matches("http://127\\.0\\.0\\.1:0/#token=cst_viewer_[A-Za-z0-9_-]+");

    assertThat(
            run("token", "create", "--role", "operator", "--kiosk", "--config", config.toString()))
        .isEqualTo(3);
    assertThat(err()).contains("--kiosk").contains("--role viewer");
  }

  @Test
  void anUnusableStoreIsAFailureNamingThePath() throws Exception {
    Path blocker = Files.writeString(dir.resolve("blocker"), "x");
    Path cfg =
        Files.writeString(
            dir.resolve("c2.yml"), "store: { sqlite: '" + blocker.resolve("c.db") + "' }\n");

    assertThat(run("token", "create", "--node", "web01", "--config", cfg.toString())).isEqualTo(2);
    assertThat(err()).contains("cannot create directory " + blocker);
  }

  @Test
  void testEmailSendsThroughTheConfiguredSendmailAndPrintsItsAnswer() throws Exception {
    Path stdin = dir.resolve("stdin");
    Path sendmail = dir.resolve("sendmail");
    Files.writeString(sendmail, "#!/bin/sh\ncat > " + stdin + "\necho 'queued as 42'\n");
    sendmail.toFile().setExecutable(true);
    Files.writeString(config, "notify: { email: { to: [root], sendmail: '" + sendmail + "' } }\n");

    assertThat(run("test-email", "--config", config.toString(), "--to", "ops@example.net"))
        .isZero();
    assertThat(out())
        .contains("to ops@example.net")
        .contains("accepted: ")
        .contains("queued as 42");
    assertThat(Files.readString(stdin)).contains("To: ops@example.net").contains("[custos] TEST");
  }

  @Test
  void testEmailFailsWithExitTwoWhenTheTransportRefuses() throws Exception {
    Path sendmail = dir.resolve("sendmail");
    Files.writeString(sendmail, "#!/bin/sh\ncat >/dev/null\necho 'no MTA' >&2\nexit 1\n");
    sendmail.toFile().setExecutable(true);
    Files.writeString(config, "notify: { email: { sendmail: '" + sendmail + "' } }\n");

    assertThat(run("test-email", "--config", config.toString())).isEqualTo(2);
    assertThat(err()).contains("NOT accepted").contains("exited 1").contains("no MTA");
  }
}
