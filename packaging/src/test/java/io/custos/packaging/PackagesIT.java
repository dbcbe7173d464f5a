package io.custos.packaging;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb and .rpm packages {@code mvn package} leaves in {@code target/}, checked with the real
 * tools: {@code dpkg-deb}, {@code lintian}, {@code systemd-analyze verify} and {@code rpm}. Each
 * test skips, naming the tool, where that tool is not installed ({@code .ci/run} installs them
 * all).
 *
 * <p>{@link #installedPackagesWorkAsOnAServer} installs the .debs on this machine with {@code dpkg
 * -i}, so it runs only where that is wanted: in CI ({@code CI=true}), as root, and when no Custos
 * package is installed already. It removes and purges them again, and removes the {@code custos}
 * user the collector package created.
 */
class PackagesIT {
  private static final Path TARGET =
      Path.of(System.getProperty("custos.target", "target")).toAbsolutePath();
  private static final List<String> PACKAGES = List.of("agent", "collector");

  @TempDir Path dir;

  @Test
  void debsHaveTheLayoutDependenciesAndConffiles() throws Exception {
    assumeTool("dpkg-deb");
    for (String m : PACKAGES) {
      Path deb = deb(m);
      Result info = run("dpkg-deb", "--info", deb.toString());
      assertThat(info.output)
          .contains("Package: custos-" + m)
          .contains("Architecture: all")
          .contains("Version: " + System.getProperty("custos.version", "0.1.0").replace('-', '~'))
          .contains("default-jre-headless (>= 2:1.17) | java17-runtime-headless")
          .contains("conffiles", "postinst", "prerm", "postrm");
      assertThat(run("dpkg-deb", "--field", deb.toString(), "Depends").output)
          .startsWith("default-jre-headless (>= 2:1.17) | java17-runtime-headless");
      Path control = dir.resolve(m + "-control");
      run("dpkg-deb", "--control", deb.toString(), control.toString());
      assertThat(Files.readString(control.resolve("conffiles")))
          .isEqualTo("/etc/custos/" + m + ".yml\n");

      String contents = run("dpkg-deb", "--contents", deb.toString()).output;
      assertThat(contents)
          .containsPattern(
              "-rwxr-xr-x root/root .* \\./usr/share/custos/" + m + "/bin/custos-" + m + "\n")
          .containsPattern("-rw-r--r-- root/root .* \\./etc/custos/" + m + "\\.yml\n")
          .containsPattern(
              "-rw-r--r-- root/root .* \\./lib/systemd/system/custos-" + m + "\\.service\n")
          .containsPattern("\\./usr/share/custos/" + m + "/lib/custos-" + m + "-[^/]*\\.jar\n")
          .containsPattern("\\./usr/share/custos/" + m + "/lib/custos-common-[^/]*\\.jar\n")
          .contains("./usr/share/doc/custos-" + m + "/copyright")
          .contains("./usr/share/doc/custos-" + m + "/changelog.gz")
          // The sample configs point to docs/*.md: they come with the package.
          .contains("./usr/share/doc/custos-" + m + "/docs/checks.md")
          .contains("./usr/share/doc/custos-" + m + "/docs/alerts.md")
          .contains("./usr/bin/custos-" + m);
    }
    String agent = run("dpkg-deb", "--contents", deb("agent").toString()).output;
    assertThat(agent)
        .contains("./usr/bin/custos-agent -> ../share/custos/agent/bin/custos-agent")
        .doesNotContain("netty", "sqlite-jdbc", "flyway", "HikariCP", "uplot", "custos-collector-");
    assertThat(run("dpkg-deb", "--contents", deb("collector").toString()).output)
        .containsPattern("-rwxr-xr-x root/root .* \\./usr/bin/custos-collector\n")
        .contains("sqlite-jdbc", "flyway-core", "flyway-database-postgresql", "HikariCP")
        .doesNotContain("oshi-core", "custos-agent-");
  }

  @Test
  void lintianFindsNoErrorsOrWarnings() throws Exception {
    assumeTool("lintian");
    Result r =
        run(
            "lintian",
            "--tag-display-limit",
            "0",
            deb("agent").toString(),
            deb("collector").toString());
    List<String> problems =
        r.output.lines().filter(l -> l.startsWith("E: ") || l.startsWith("W: ")).toList();
    assertThat(problems).as(r.output).isEmpty();
    assertThat(r.exit).as(r.output).isZero();
  }

  @Test
  void unitsPassSystemdAnalyzeVerify() throws Exception {
    assumeTool("dpkg-deb");
    assumeTool("systemd-analyze");
    Path root = dir.resolve("root");
    List<String> units = new ArrayList<>(List.of("systemd-analyze", "verify"));
    for (String m : PACKAGES) {
      run("dpkg-deb", "-x", deb(m).toString(), root.toString());
      String unit = Files.readString(root.resolve("lib/systemd/system/custos-" + m + ".service"));
      // verify checks that ExecStart exists; here it is the unpacked package's launcher.
      Path copy =
          Files.writeString(
              dir.resolve("custos-" + m + ".service"),
              unit.replace("/usr/share/custos/", root.resolve("usr/share/custos") + "/"));
      units.add(copy.toString());
    }
    Result r = run(units.toArray(String[]::new));
    assertThat(r.output).as("systemd-analyze verify output").isEmpty();
    assertThat(r.exit).isZero();
  }

  @Test
  void unitsAreHardenedAsTheIssueAsks() throws Exception {
    String agent = Files.readString(Path.of("src/pkg/systemd/custos-agent.service"));
    assertThat(agent.lines())
        .contains(
            "ProtectSystem=full",
            "PrivateTmp=yes",
            "NoNewPrivileges=yes",
            "ReadWritePaths=-/var/lib/custos -/var/backups/custos",
            "ExecReload=/bin/kill -HUP $MAINPID",
            "Restart=on-failure")
        .noneMatch(l -> l.startsWith("User="));
    String collector = Files.readString(Path.of("src/pkg/systemd/custos-collector.service"));
    assertThat(collector.lines())
        .contains(
            "User=custos",
            "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/custos",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "NoNewPrivileges=yes",
            "CapabilityBoundingSet=",
            "SuccessExitStatus=143",
            "ExecReload=/bin/kill -HUP $MAINPID",
            "Restart=on-failure");
  }

  @Test
  void rpmsListTheirLayoutAndInstallIntoAnEmptyRootKeepingAnEditedConfig() throws Exception {
    assumeTool("rpm");
    Path root = dir.resolve("rpmroot");
    String[] db = {"--root", root.toString(), "--dbpath", "/var/lib/rpm"};
    for (String m : PACKAGES) {
      Path rpm = rpm(m);
      Result qpil = run("rpm", "-qpil", rpm.toString());
      assertThat(qpil.output)
          .contains("Name        : custos-" + m)
          .contains("Architecture: noarch")
          .contains("/usr/share/custos/" + m + "/bin/custos-" + m)
          .contains("/usr/bin/custos-" + m)
          .contains("/etc/custos/" + m + ".yml")
          .contains("/usr/lib/systemd/system/custos-" + m + ".service");
      assertThat(run("rpm", "-qp", "--requires", rpm.toString()).output)
          .contains("java-headless >= 1:17");
      assertThat(
              run("rpm", "-qp", "--qf", "[%{FILEFLAGS:fflags} %{FILENAMES}\\n]", rpm.toString())
                  .output)
          .contains("cn /etc/custos/" + m + ".yml"); // %config(noreplace)
      // The scriptlets are not run in the empty root below; at least their syntax is checked.
      String scripts = run("rpm", "-qp", "--scripts", rpm.toString()).output;
      assertThat(scripts).contains("postinstall scriptlet", "preuninstall scriptlet");
    }
    for (Path script : scriptlets()) {
      Result syntax = run("sh", "-n", script.toString());
      assertThat(syntax.exit).as(script + ": " + syntax.output).isZero();
    }

    Files.createDirectories(root);
    run(cmd("rpm", "--initdb", db));
    Result install =
        run(cmd("rpm", "-i", "--nodeps", "--noscripts", db, rpm("agent"), rpm("collector")));
    assertThat(install.exit).as(install.output).isZero();
    Result verify = run(cmd("rpm", "-V", "--nodeps", db, "custos-agent", "custos-collector"));
    assertThat(verify.exit).as(verify.output).isZero();
    assertThat(root.resolve("usr/share/custos/agent/bin/custos-agent")).isExecutable();
    assertThat(Files.readSymbolicLink(root.resolve("usr/bin/custos-agent")))
        .isEqualTo(Path.of("../share/custos/agent/bin/custos-agent"));

    Path yml = root.resolve("etc/custos/agent.yml");
    Files.writeString(yml, Files.readString(yml) + "interval: 10s\n");
    Result again =
        run(cmd("rpm", "-i", "--replacepkgs", "--nodeps", "--noscripts", db, rpm("agent")));
    assertThat(again.exit).as(again.output).isZero();
    assertThat(Files.readString(yml)).endsWith("interval: 10s\n");
  }

  /**
   * The issue's "done when", on this machine: install both .debs, enrol the node, start both
   * daemons from the installed paths (no systemd runs here), see a report arrive, then remove (data
   * kept), reinstall (edited config kept) and purge (data gone).
   */
  @Test
  void installedPackagesWorkAsOnAServer() throws Exception {
    assumeThat(System.getenv("CI")).as("installs system-wide: only with CI=true").isEqualTo("true");
    assumeThat(run("id", "-u").output.strip()).as("dpkg -i needs root").isEqualTo("0");
    assumeTool("dpkg");
    for (String m : PACKAGES) {
      assumeThat(run("dpkg-query", "-W", "custos-" + m).exit)
          .as("custos-" + m + " is installed here already; not touching it")
          .isNotZero();
    }
    assumeThat(Files.exists(Path.of("/etc/custos")) || Files.exists(Path.of("/var/lib/custos")))
        .as("/etc/custos or /var/lib/custos exist already; not touching them")
        .isFalse();
    List<Process> daemons = new ArrayList<>();
    try {
      Result install = run("dpkg", "-i", deb("collector").toString(), deb("agent").toString());
      assertThat(install.exit).as(install.output).isZero();
      if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
        // A container or chroot: the packages say that nothing was started, and how to start it.
        assertThat(install.output)
            .contains("custos-collector: systemd is not running here, so the collector was not")
            .contains("custos-agent: systemd is not running here, so the agent was not started");
      }
      assertThat(mode("/var/lib/custos")).isEqualTo("custos custos rwx------");
      assertThat(mode("/var/lib/custos/backups")).isEqualTo("custos custos rwx------");
      assertThat(mode("/var/lib/custos/spool")).isEqualTo("root root rwx------");
      assertThat(mode("/var/backups/custos")).isEqualTo("root root rwx------");
      assertThat(mode("/etc/custos/collector.yml")).isEqualTo("root custos rw-r-----");

      int port = freePort();
      edit("/etc/custos/collector.yml", "#listen: 127.0.0.1:8480", "listen: 127.0.0.1:" + port);
      Result check = run("custos-collector", "check-config");
      assertThat(check.exit).as(check.output).isZero();
      Result node = run("custos-collector", "token", "create", "--node", "pkgtest");
      assertThat(node.exit).as(node.output).isZero();
      String operator = run("custos-collector", "token", "create", "--role", "operator").stdout;
      assertThat(mode("/var/lib/custos/collector.db")).isEqualTo("custos custos rw-------");

      Path token = Path.of("/etc/custos/agent.token");
      Files.writeString(token, node.stdout, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
      edit("/etc/custos/agent.yml", "#node: <the host name>", "node: pkgtest");
      edit("/etc/custos/agent.yml", "#url: http://127.0.0.1:8480", "url: http://127.0.0.1:" + port);
      edit("/etc/custos/agent.yml", "#interval: 30s", "interval: 2s");
      assertThat(run("custos-agent", "check-config").exit).isZero();

      Process collector = start(List.of("/usr/bin/custos-collector", "run"), "collector.log");
      daemons.add(collector);
      await().atMost(60, SECONDS).until(() -> log("collector.log").contains("listening on"));
      assertThat(collector.info().user()).hasValue("custos");
      daemons.add(start(List.of("/usr/bin/custos-agent", "run"), "agent.log"));
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest services =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:" + port + "/api/v1/services?format=text&host=pkgtest"))
              .header("Authorization", "Bearer " + operator.strip())
              .timeout(Duration.ofSeconds(10))
              .build();
      await()
          .atMost(90, SECONDS)
          .untilAsserted(
              () ->
                  assertThat(http.send(services, HttpResponse.BodyHandlers.ofString()).body())
                      .as(log("agent.log"))
                      .contains("pkgtest")
                      .contains("Filesystem /"));
      stop(daemons);

      if (Files.isDirectory(Path.of("/run/systemd/system"))) {
        // Where systemd runs: the units themselves, hardening included, and their reload.
        for (String m : PACKAGES) {
          String unit = "custos-" + m + ".service";
          Result start = run("systemctl", "start", unit);
          assertThat(start.exit).as(start.output).isZero();
          // A SIGHUP before the JVM has installed its handler would stop it; wait until it runs.
          String ready = m.equals("agent") ? "started: node pkgtest" : "listening on";
          await()
              .atMost(60, SECONDS)
              .until(() -> run("journalctl", "-u", unit, "--no-pager").output.contains(ready));
          assertThat(run("systemctl", "reload", unit).exit).isZero();
          await()
              .atMost(60, SECONDS)
              .until(
                  () ->
                      run("journalctl", "-u", unit, "--no-pager")
                          .output
                          .contains("reloaded the configuration"));
          assertThat(run("systemctl", "is-active", unit).output.strip()).isEqualTo("active");
        }
      }

      Result remove = run("dpkg", "-r", "custos-agent", "custos-collector");
      assertThat(remove.exit).as(remove.output).isZero();
      assertThat(Path.of("/var/lib/custos/collector.db")).exists();
      assertThat(Path.of("/var/lib/custos/spool")).isDirectory();
      assertThat(Path.of("/usr/bin/custos-agent")).doesNotExist();

      Result reinstall = run("dpkg", "-i", deb("agent").toString());
      assertThat(reinstall.exit).as(reinstall.output).isZero();
      assertThat(Files.readString(Path.of("/etc/custos/agent.yml"))).contains("node: pkgtest");
      Result upgrade = run("dpkg", "-i", deb("agent").toString());
      assertThat(upgrade.exit).as(upgrade.output).isZero();
      assertThat(Files.readString(Path.of("/etc/custos/agent.yml"))).contains("node: pkgtest");

      Result purge = run("dpkg", "-P", "custos-agent", "custos-collector");
      assertThat(purge.exit).as(purge.output).isZero();
      assertThat(Path.of("/var/lib/custos")).doesNotExist();
      assertThat(Path.of("/var/backups/custos")).doesNotExist();
      assertThat(Path.of("/etc/custos")).doesNotExist();
    } finally {
      stop(daemons);
      run("dpkg", "-P", "custos-agent", "custos-collector");
      // Debian keeps system users on purge; this test leaves the machine as it found it.
      if (run("getent", "passwd", "custos").exit == 0) {
        run("deluser", "--system", "custos");
      }
      if (run("getent", "group", "custos").exit == 0) {
        run("delgroup", "--system", "custos");
      }
    }
  }

  private static Path deb(String m) throws IOException {
    return newest("custos-" + m + "_", ".deb");
  }

  private static Path rpm(String m) throws IOException {
    return newest("custos-" + m + "-", ".noarch.rpm");
  }

  // The RPM file names carry the build time, so an unclean target/ may hold several.
  private static Path newest(String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElseThrow(() -> new AssertionError("no " + prefix + "*" + suffix + " in " + TARGET));
    }
  }

  private static List<Path> scriptlets() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/pkg/rpm"))) {
      return files.sorted().toList();
    }
  }

  /** A command line from strings, string arrays and paths. */
  private static String[] cmd(Object... parts) {
    List<String> all = new ArrayList<>();
    for (Object o : parts) {
      if (o instanceof String[] a) {
        all.addAll(List.of(a));
      } else {
        all.add(o.toString());
      }
    }
    return all.toArray(String[]::new);
  }

  private void assumeTool(String tool) throws Exception {
    assumeThat(run("sh", "-c", "command -v " + tool).exit)
        .as(tool + " is not installed (apt-get install " + packageOf(tool) + ")")
        .isZero();
  }

  private static String packageOf(String tool) {
    return switch (tool) {
      case "dpkg-deb", "dpkg" -> "dpkg";
      case "systemd-analyze" -> "systemd";
      default -> tool;
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void edit(String file, String from, String to) throws IOException {
    Path p = Path.of(file);
    String text = Files.readString(p);
    assertThat(text).as(file).contains(from);
    Files.writeString(p, text.replace(from, to));
  }

  private String mode(String path) throws Exception {
    return run("stat", "-c", "%U %G %A", path).stdout.strip().replaceFirst(" [-d]", " ");
  }

  private Process start(List<String> command, String log) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile())
        .start();
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  private static void stop(List<Process> daemons) throws InterruptedException {
    for (Process p : daemons) {
      p.destroy();
    }
    for (Process p : daemons) {
      if (!p.waitFor(30, SECONDS)) {
        p.destroyForcibly();
      }
    }
    daemons.clear();
  }

  private record Result(int exit, String stdout, String output) {}

  private Result run(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(300, SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 300s");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    return new Result(
        p.exitValue(), stdout, stdout + Files.readString(err, StandardCharsets.UTF_8));
  }
}
