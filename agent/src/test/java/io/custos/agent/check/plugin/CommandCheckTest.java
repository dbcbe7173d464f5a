package io.custos.agent.check.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.Schedule;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandCheckTest {
  private static final Path PLUGINS = Path.of("/usr/lib/nagios/plugins");
  private static final CheckContext CONTEXT = new CheckContext(Path.of("/"), Clock.systemUTC());

  private static void assumePlugin(String plugin, String pkg) {
    Assumptions.assumeTrue(
        Files.isExecutable(PLUGINS.resolve(plugin)),
        PLUGINS.resolve(plugin) + " is missing: apt-get install " + pkg);
  }

  private static CheckResult run(String command) throws Exception {
    return run(command, null);
  }

  private static CheckResult run(String command, Duration timeout) throws Exception {
    List<CheckResult> r =
        new CommandCheck(
                new CommandConfig(command),
                new Schedule(null, timeout, null, null, null),
                CommandRunner.SYSTEM)
            .run(CONTEXT);
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  void realCheckUsers() throws Exception {
    assumePlugin("check_users", "monitoring-plugins-basic");
    CheckResult r = run(PLUGINS + "/check_users -w 1000 -c 2000");

    assertThat(r.service()).isEqualTo("check_users");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).startsWith("USERS OK - ");
    assertThat(r.metrics()).extracting(Metric::name).containsExactly("users");
    assertThat(r.metrics().get(0).warn()).isEqualTo(1000.0);
  }

  @Test
  void realCheckLoadWithItsPerfdata() throws Exception {
    assumePlugin("check_load", "monitoring-plugins-basic");
    CheckResult r = run(PLUGINS + "/check_load -w 1000,1000,1000 -c 1000,1000,1000");

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).startsWith("LOAD OK - total load average: ");
    assertThat(r.metrics()).extracting(Metric::name).containsExactly("load1", "load5", "load15");
    assertThat(r.metrics().get(2).crit()).isEqualTo(1000.0);
  }

  @Test
  void realCheckDiskWithImpossibleThresholdIsCritical() throws Exception {
    assumePlugin("check_disk", "monitoring-plugins-basic");
    // CRITICAL when less than 100% is free: always, on a mounted /.
    CheckResult r = run(PLUGINS + "/check_disk -w 100% -c 100% -p /");

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).startsWith("DISK CRITICAL - free space: /");
    assertThat(r.metrics()).extracting(Metric::name).containsExactly("root_bytes");
    assertThat(r.metrics().get(0).unit()).isEqualTo("B");
    assertThat(r.metrics().get(0).max()).isPositive();
  }

  @Test
  void realCheckProcs() throws Exception {
    assumePlugin("check_procs", "monitoring-plugins-basic");
    CheckResult r = run(PLUGINS + "/check_procs -w 100000 -c 200000");

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).startsWith("PROCS OK: ");
    assertThat(r.metrics().get(0).name()).isEqualTo("procs");
    assertThat(r.metrics().get(0).value()).isPositive();
  }

  @Test
  void realCheckHttpAgainstALoopbackServer() throws Exception {
    assumePlugin("check_http", "monitoring-plugins-standard");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] body = "<h1>Welcome</h1>".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/") ? 200 : 500, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      CheckResult ok = run(PLUGINS + "/check_http -H 127.0.0.1 -p " + port + " -s 'Welcome'");
      CheckResult broken = run(PLUGINS + "/check_http -H 127.0.0.1 -p " + port + " -u /broken");

      assertThat(ok.status()).isEqualTo(Status.OK);
      assertThat(ok.output()).startsWith("HTTP OK: HTTP/1.1 200 OK");
      assertThat(ok.metrics())
          .extracting(Metric::name)
          .containsExactly("time_seconds", "size_bytes");
      assertThat(broken.status()).isEqualTo(Status.CRITICAL);
      assertThat(broken.output()).contains("500");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void exitCodesMapToStatusesAndOthersAreUnknown() throws Exception {
    assertThat(run("sh -c 'echo \"FOO WARNING - meh|x=1\"; exit 1'").status())
        .isEqualTo(Status.WARNING);
    assertThat(run("sh -c 'echo \"FOO CRITICAL - bad\"; exit 2'").status())
        .isEqualTo(Status.CRITICAL);
    CheckResult weird = run("sh -c 'echo \"FOO - what\"; exit 42'");
    assertThat(weird.status()).isEqualTo(Status.UNKNOWN);
    assertThat(weird.output()).isEqualTo("FOO - what (exit 42)");
  }

  @Test
  void silentPluginShowsItsStandardError() throws Exception {
    CheckResult r = run("sh -c 'echo \"check_foo: cannot open /etc/foo\" >&2; exit 3'");
    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output()).isEqualTo("COMMAND UNKNOWN - check_foo: cannot open /etc/foo (exit 3)");
  }

  @Test
  void missingPluginIsUnknownWithTheReason() throws Exception {
    CheckResult r = run("/usr/lib/nagios/plugins/check_nonexistent -w 1");
    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output())
        .startsWith("COMMAND UNKNOWN - cannot run /usr/lib/nagios/plugins/check_nonexistent")
        .contains("No such file");
  }

  @Test
  void longOutputAndLaterPerfdata() throws Exception {
    CheckResult r =
        run("printf 'DISK OK - all fine | /=1MB\\n/boot 68 MB\\n/home 9 MB | /home=9MB\\n'");
    assertThat(r.output()).isEqualTo("DISK OK - all fine");
    assertThat(r.longOutput()).isEqualTo("/boot 68 MB\n/home 9 MB");
    assertThat(r.metrics()).extracting(Metric::name).containsExactly("root_bytes", "home_bytes");
  }

  @Test
  void hungPluginIsKilledWithItsChildren(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("child.pid");
    long start = System.nanoTime();
    CheckResult r =
        run("sh -c 'sleep 60 & echo $! > " + pidFile + "; wait'", Duration.ofMillis(500));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output()).isEqualTo("COMMAND UNKNOWN - timed out after 475ms: sh");
    long child = Long.parseLong(Files.readString(pidFile).strip());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void quotingKeepsBlanks() {
    assertThat(CommandConfig.split("check_http -H a.b -s 'Welcome home' -u \"/x y\""))
        .containsExactly("check_http", "-H", "a.b", "-s", "Welcome home", "-u", "/x y");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandConfig.split("a 'b"))
        .hasMessageContaining("unbalanced '");
  }
}
