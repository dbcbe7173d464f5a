package io.custos.packaging;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the launchers of the built distribution ({@code target/custos}) as an operator would: help
 * and version, the sample configs through {@code check-config}, and the README's demo command up to
 * a {@code curl}-style request that shows this machine's file systems.
 */
class DistributionIT {
  private static final Path DIST = Path.of(System.getProperty("custos.dist", "target/custos"));

  @TempDir Path dir;

  @Test
  void launchersAnswerHelpAndVersion() throws Exception {
    for (String tool : List.of("custos-agent", "custos-collector")) {
      Result help = run(List.of(bin(tool), "--help"));
      assertThat(help.exit).as(help.output).isZero();
      assertThat(help.output).contains("Usage: " + tool).contains("Exit codes");
      Result version = run(List.of(bin(tool), "--version"));
      assertThat(version.exit).as(version.output).isZero();
      assertThat(version.output).contains("0.1.0");
    }
    for (String command : List.of("run", "check", "check-config")) {
      Result help = run(List.of(bin("custos-agent"), command, "--help"));
      assertThat(help.exit).as(help.output).isZero();
      assertThat(help.output).contains("custos-agent " + command);
    }
    Result usage = run(List.of(bin("custos-collector"), "no-such-command"));
    assertThat(usage.exit).as(usage.output).isEqualTo(3);
    // The demo answers --help with its usage and starts nothing.
    Path data = dir.resolve("demo-help-data");
    Result demo =
        run(List.of(bin("custos-demo"), "--help"), Map.of("CUSTOS_DATA", data.toString()));
    assertThat(demo.exit).as(demo.output).isZero();
    assertThat(demo.output)
        .contains("Usage: custos-demo")
        .contains("CUSTOS_PORT")
        .contains("CUSTOS_DATA");
    assertThat(data).doesNotExist();
  }

  @Test
  void backupCommandsGetABackupHeapAndTheDaemonKeepsItsSmallOne() throws Exception {
    Map<String, String> show = Map.of("JAVA_OPTS", "-XshowSettings:vm");
    for (String command : List.of("run", "check", "check-config")) {
      Result r = run(List.of(bin("custos-agent"), command, "--help"), show);
      assertThat(r.output).as(command).contains("Max. Heap Size: 48.00M");
    }
    for (String command : List.of("backup", "restore", "diff", "rollback")) {
      Result r = run(List.of(bin("custos-agent"), command, "--help"), show);
      assertThat(r.exit).as(r.output).isZero();
      assertThat(r.output).as(command).contains("Max. Heap Size: 1.00G");
    }
    Map<String, String> heap =
        Map.of("JAVA_OPTS", "-XshowSettings:vm", "CUSTOS_BACKUP_HEAP", "256m");
    assertThat(run(List.of(bin("custos-agent"), "backup", "--help"), heap).output)
        .contains("Max. Heap Size: 256.00M");
    Result bad =
        run(List.of(bin("custos-agent"), "backup", "--help"), Map.of("CUSTOS_BACKUP_HEAP", "lots"));
    assertThat(bad.exit).isEqualTo(3);
    assertThat(bad.output)
        .contains("CUSTOS_BACKUP_HEAP must be a size like 1g or 512m, got \"lots\"");
  }

  @Test
  void sampleConfigsPassCheckConfig() throws Exception {
    Path token = dir.resolve("agent.token");
    Files.writeString(token, "cst_node_sample\n");
    Path agentYml = dir.resolve("agent.yml");
    Files.writeString(
        agentYml,
        Files.readString(DIST.resolve("etc/agent.yml"))
            .replace("/etc/custos/agent.token", token.toString()));
    Result agent =
        run(List.of(bin("custos-agent"), "check-config", "--config", agentYml.toString()));
    assertThat(agent.exit).as(agent.output).isZero();
    assertThat(agent.output).contains("OK");

    Result collector =
        run(
            List.of(
                bin("custos-collector"),
                "check-config",
                "--config",
                DIST.resolve("etc/collector.yml").toString()));
    assertThat(collector.exit).as(collector.output).isZero();
    assertThat(collector.output).contains("OK");
  }

  @Test
  void configTypoIsNamedWithFileLineAndKey() throws Exception {
    Path yml = dir.resolve("typo.yml");
    Files.writeString(yml, "interval: 30s\nchecks:\n  - { type: filesystem, warnign: 80% }\n");
    Result r = run(List.of(bin("custos-agent"), "check-config", "--config", yml.toString()));
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.output).contains(yml + ":3:").contains("warnign").contains("unknown key");
  }

  @Test
  void demoRunsCollectorAndAgentAndTheCurlLineShowsThisMachine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = dir.resolve("custos-data");
    // A previous run on another port wrote these: this run follows CUSTOS_PORT all the same.
    Files.createDirectories(data);
    Files.writeString(
        data.resolve("collector.yml"),
        "# Written by custos-demo. See etc/collector.yml in the distribution for every key.\n"
            + "listen: 127.0.0.1:1\nstore: { sqlite: "
            + data.resolve("collector.db")
            + " }\n");
    Path log = dir.resolve("demo.out");
    ProcessBuilder pb =
        new ProcessBuilder(bin("custos-demo"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(Map.of("CUSTOS_DATA", data.toString(), "CUSTOS_PORT", "" + port));
    Process demo = pb.start();
    try {
      await()
          .atMost(60, SECONDS)
          .until(() -> Files.readString(log).contains("Ctrl-C stops both") || !demo.isAlive());
      String out = Files.readString(log);
      assertThat(demo.isAlive()).as(out).isTrue();
      assertThat(out)
          .contains("Dashboard:       http://127.0.0.1:" + port + "/#login=")
          .doesNotContain("cst_operator_")
          .contains("curl -s -H \"Authorization: Bearer");
      // The printed address logs a browser in: its fragment is what the page posts.
      String link =
          out.lines()
              .filter(l -> l.contains("/#login="))
              .findFirst()
              .orElseThrow()
              .replaceFirst(".*/#login=", "")
              .strip();
      HttpResponse<String> session =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/session"))
                      .header("Content-Type", "application/json")
                      .header("Origin", "http://127.0.0.1:" + port)
                      .POST(HttpRequest.BodyPublishers.ofString("{\"link\":\"" + link + "\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
      assertThat(session.body()).contains("\"role\":\"operator\"");
      String token = Files.readString(data.resolve("operator.token")).strip();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest services =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + port + "/api/v1/services?format=text"))
              .header("Authorization", "Bearer " + token)
              .timeout(Duration.ofSeconds(10))
              .build();
      await()
          .atMost(60, SECONDS)
          .untilAsserted(
              () ->
                  assertThat(http.send(services, HttpResponse.BodyHandlers.ofString()).body())
                      .contains("Filesystem /")
                      .contains("Memory")
                      .contains("Load"));
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
    } finally {
      demo.descendants().forEach(ProcessHandle::destroy);
      demo.destroy();
      demo.waitFor(30, SECONDS);
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * {@code systemctl reload} sends SIGHUP (the units' ExecReload). Both daemons, started from the
   * launchers: an invalid file is refused with file, line and key in the log while the daemon goes
   * on; a valid one is applied.
   */
  @Test
  void sighupReloadsBothDaemonsAndAnInvalidFileIsRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base =
        "listen: 127.0.0.1:" + port + "\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n";
    Path collectorYml = Files.writeString(dir.resolve("collector.yml"), base);
    Result node =
        run(
            List.of(
                bin("custos-collector"),
                "token",
                "create",
                "--node",
                "hup01",
                "--config",
                collectorYml.toString()));
    assertThat(node.exit).as(node.output).isZero();
    Path token =
        Files.writeString(
            dir.resolve("agent.token"),
            node.output.lines().filter(l -> l.startsWith("cst_")).findFirst().orElseThrow());
    String agentBase =
        "node: hup01\ninterval: 1s\nchecks: [ { type: load } ]\ncollector: { url: 'http://127.0.0.1:"
            + port
            + "', token_file: '"
            + token
            + "' }\nspool: { directory: '"
            + dir.resolve("spool")
            + "' }\n";
    Path agentYml = Files.writeString(dir.resolve("agent.yml"), agentBase);
    Path collectorLog = dir.resolve("collector.log");
    Path agentLog = dir.resolve("agent.log");
    Process collector =
        new ProcessBuilder(bin("custos-collector"), "run", "--config", collectorYml.toString())
            .redirectErrorStream(true)
            .redirectOutput(collectorLog.toFile())
            .start();
    Process agent = null;
    try {
      await()
          .atMost(60, SECONDS)
          .until(() -> Files.readString(collectorLog).contains("listening on"));
      agent =
          new ProcessBuilder(bin("custos-agent"), "run", "--config", agentYml.toString())
              .redirectErrorStream(true)
              .redirectOutput(agentLog.toFile())
              .start();
      await().atMost(60, SECONDS).until(() -> Files.readString(agentLog).contains("started"));

      Files.writeString(agentYml, agentBase + "intervall: 5s\n");
      hangup(agent);
      await()
          .atMost(30, SECONDS)
          .until(() -> Files.readString(agentLog).contains("reload refused"));
      assertThat(Files.readString(agentLog)).contains(agentYml + ":6: intervall: unknown key");
      assertThat(agent.isAlive()).isTrue();
      Files.writeString(agentYml, agentBase.replace("interval: 1s", "interval: 2s"));
      hangup(agent);
      await()
          .atMost(30, SECONDS)
          .until(() -> Files.readString(agentLog).contains("reloaded the configuration"));
      assertThat(Files.readString(agentLog)).contains("every 2s");

      Files.writeString(collectorYml, base + "hosts: { absent_aftre: 5 }\n");
      hangup(collector);
      await()
          .atMost(30, SECONDS)
          .until(() -> Files.readString(collectorLog).contains("reload refused"));
      assertThat(Files.readString(collectorLog)).contains(collectorYml + ":3: hosts.absent_aftre");
      Files.writeString(collectorYml, base + "hosts: { absent_after: 5 }\n");
      hangup(collector);
      await()
          .atMost(30, SECONDS)
          .until(() -> Files.readString(collectorLog).contains("reloaded the configuration"));
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
              .timeout(Duration.ofSeconds(10))
              .build();
      await()
          .atMost(30, SECONDS)
          .untilAsserted(
              () ->
                  assertThat(
                          HttpClient.newHttpClient()
                              .send(health, HttpResponse.BodyHandlers.ofString())
                              .statusCode())
                      .isEqualTo(200));
      assertThat(collector.isAlive()).isTrue();
      assertThat(agent.isAlive()).isTrue();
    } finally {
      for (Process p : agent == null ? List.of(collector) : List.of(agent, collector)) {
        p.destroy();
        if (!p.waitFor(30, SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static void hangup(Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
    assertThat(kill.waitFor()).isZero();
  }

  private static String bin(String tool) {
    return DIST.resolve("bin").resolve(tool).toAbsolutePath().toString();
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> command) throws IOException, InterruptedException {
    return run(command, Map.of());
  }

  private Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(new ArrayList<>(command))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    if (!env.isEmpty()) {
      // The test's own settings, not the ones this build was started with.
      pb.environment().remove("JAVA_OPTS");
      pb.environment().remove("CUSTOS_BACKUP_HEAP");
      pb.environment().putAll(env);
    }
    Process p = pb.start();
    if (!p.waitFor(60, SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
