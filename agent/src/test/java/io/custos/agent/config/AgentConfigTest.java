package io.custos.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import io.custos.agent.check.fs.FilesystemConfig;
import io.custos.agent.check.host.LoadConfig;
import io.custos.agent.check.host.LoadThreshold;
import io.custos.agent.check.host.MemoryConfig;
import io.custos.common.config.ConfigException;
import io.custos.common.units.Percent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  private static AgentConfig parse(String yaml) throws ConfigException {
    return AgentConfigLoader.parse(yaml, "agent.yml");
  }

  private static ConfigException error(String yaml) {
    return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> parse(yaml));
  }

  @Test
  void emptyFileTakesEveryDefault() throws Exception {
    AgentConfig c = parse("# nothing here\n");

    assertThat(c.node()).isNotBlank();
    assertThat(c.tags()).isEmpty();
    assertThat(c.collector().url()).isEqualTo(URI.create("http://127.0.0.1:8480"));
    assertThat(c.collector().tokenFile()).isNull();
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.spool().directory()).isEqualTo(Path.of("/var/lib/custos/spool"));
    assertThat(c.spool().maxSize().bytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(c.checks())
        .extracting(CheckConfig::type)
        .containsExactly("filesystem", "load", "memory", "raid", "cpu");
    assertThat(c).isEqualTo(new AgentConfig(c.node(), null, null, null, null, null));
  }

  @Test
  void fullFile() throws Exception {
    AgentConfig c =
        parse(
            """
            node: web01
            tags: [web, eu-west]
            collector:
              url: https://collector.example.net:8480
              token_file: /etc/custos/agent.token
            interval: 1m
            spool: { directory: /tmp/spool, max_size: 1MB }
            checks:
              - { type: filesystem, warning: 70%, critical: 85%, exclude_types: [tmpfs] }
              - type: load
                warning: "3,2,1"
                critical: 6
                per_core: false
                timeout: 2s
              - { type: memory, swap_warning: 10%, swap_critical: 20% }
            """);

    assertThat(c.node()).isEqualTo("web01");
    assertThat(c.tags()).containsExactly("web", "eu-west");
    assertThat(c.collector().url()).isEqualTo(URI.create("https://collector.example.net:8480"));
    assertThat(c.collector().tokenFile()).isEqualTo(Path.of("/etc/custos/agent.token"));
    assertThat(c.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.spool().maxSize().bytes()).isEqualTo(1024 * 1024);
    assertThat(c.checks())
        .containsExactly(
            CheckConfig.of(
                new FilesystemConfig(Percent.parse("70%"), Percent.parse("85%"), List.of("tmpfs"))),
            new CheckConfig(
                new LoadConfig(new LoadThreshold(3, 2, 1), LoadThreshold.of(6), false),
                new Schedule(null, Duration.ofSeconds(2), null, null, null)),
            CheckConfig.of(
                new MemoryConfig(null, null, Percent.parse("10%"), Percent.parse("20%"))));
  }

  @Test
  void bareNumbersAreAcceptedAsPercentages() throws Exception {
    AgentConfig c = parse("checks:\n  - { type: filesystem, warning: 75, critical: 85 }\n");
    assertThat(((FilesystemConfig) c.checks().get(0).kind()).warning()).isEqualTo(new Percent(75));
  }

  @Test
  void explicitEmptyChecksRunNone() throws Exception {
    assertThat(parse("checks: []\n").checks()).isEmpty();
  }

  @Test
  void unknownKeyNamesFileLineAndKey() {
    ConfigException e = error("node: web01\ninterval: 30s\ncolector:\n  url: http://x:1\n");

    assertThat(e.getMessage()).startsWith("agent.yml:3: colector: unknown key");
    assertThat(e.getMessage()).contains("collector");
  }

  @Test
  void unknownKeyInACheckNamesItsPath() {
    ConfigException e =
        error(
            """
            checks:
              - type: filesystem
                warnign: 80%
            """);

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.key()).isEqualTo("checks[0].warnign");
    assertThat(e.problem()).contains("unknown key").contains("warning");
  }

  @Test
  void badDurationQuotesTheValue() {
    ConfigException e = error("interval: 30x\n");

    assertThat(e.getMessage()).startsWith("agent.yml:1: interval: ").contains("\"30x\"");
  }

  @Test
  void unknownCheckTypeNamesTheKnownOnes() {
    ConfigException e =
        error(
            """
            checks:
              - { type: load }
              - { type: rayd }
            """);

    assertThat(e.getMessage())
        .startsWith("agent.yml:3: checks[1]")
        .contains("unknown check type \"rayd\" (known types: filesystem, load, memory, ");
  }

  @Test
  void checkWithoutTypeNamesTheKnownOnes() {
    ConfigException e = error("checks:\n  - { warning: 80% }\n");

    assertThat(e.getMessage())
        .startsWith("agent.yml:2: checks[0]")
        .contains("missing key \"type\" (known types: filesystem, load, memory, ");
  }

  @Test
  void everyCheckTakesTheCommonKeys() throws Exception {
    AgentConfig c =
        parse(
            """
            checks:
              - { type: load, name: Busy, interval: 1m, timeout: 5s, for: 15m }
              - { type: memory, times: 2, within: 3 }
            """);

    assertThat(c.checks().get(0).name()).isEqualTo("Busy");
    assertThat(c.checks().get(0).schedule())
        .isEqualTo(
            new io.custos.agent.check.Schedule(
                "Busy",
                java.time.Duration.ofMinutes(1),
                java.time.Duration.ofSeconds(5),
                java.time.Duration.ofMinutes(15),
                null,
                null));
    assertThat(c.checks().get(1).schedule().times()).isEqualTo(2);
    assertThat(error("checks:\n  - { type: load, times: 2 }\n").getMessage())
        .startsWith("agent.yml:2: checks[0]")
        .contains("times and within go together");
  }

  @Test
  void everyCheckKindOfTheDesignParses() throws Exception {
    AgentConfig c =
        parse(
            """
            checks:
              - { type: filesystem, warning: 80%, critical: 90%, mounts: { /var: { critical: 95% } } }
              - { type: load }
              - { type: memory }
              - { type: cpu, critical: 100%, for: 15m }
              - { type: diskio, devices: [sda] }
              - { type: network, interfaces: [eno1], warning: 80% }
              - { type: raid }
              - { type: nic, interface: eth0, expect: 1000baseT-FD }
              - { type: bond, interface: bond0 }
              - { type: temperature, warning: 75C, critical: 90C }
              - { type: fans, min_rpm: 600 }
              - { type: voltage }
              - { type: process, name: "Service Status - sshd", match: sshd }
              - { type: systemd, unit: nginx.service }
              - { type: users, warning: 5, critical: 10 }
              - { type: ping, host: 10.1.1.253 }
              - { type: tcp, host: db01, port: 5432, warning: 200ms, critical: 1s }
              - { type: http, name: URL Status, url: "https://www.example.net/", status: 200,
                  warning: 500ms, critical: 2s, contains: Welcome }
              - { type: https, url: "https://intranet.local/", verify_tls: false, certificate_warning: 30d }
              - { type: ssh, host: 10.1.1.253 }
              - { type: command, name: Current Users, command: "/usr/lib/nagios/plugins/check_users -w 5 -c 10" }
            """);

    assertThat(c.checks())
        .extracting(CheckConfig::type)
        .containsExactly(
            "filesystem",
            "load",
            "memory",
            "cpu",
            "diskio",
            "network",
            "raid",
            "nic",
            "bond",
            "temperature",
            "fans",
            "voltage",
            "process",
            "systemd",
            "users",
            "ping",
            "tcp",
            "http",
            "http",
            "ssh",
            "command");
    assertThat(c.checks().get(17).name()).isEqualTo("URL Status");
    assertThat(io.custos.agent.check.CheckRegistry.createAll(c.checks())).hasSize(21);
  }

  @Test
  void unknownKeyInANewCheckNamesIt() {
    assertThat(
            error("checks:\n  - { type: nic, interface: eth0, expected: 1000baseT-FD }\n")
                .getMessage())
        .startsWith("agent.yml:2: checks[0]")
        .contains("expected");
    assertThat(error("checks:\n  - { type: temperature, warning: hot }\n").getMessage())
        .contains("expected a temperature such as 75C, got \"hot\"");
  }

  @Test
  void warningAboveCriticalIsRejectedWithBothValues() {
    ConfigException e = error("checks:\n  - { type: filesystem, warning: 95%, critical: 90% }\n");

    assertThat(e.getMessage())
        .startsWith("agent.yml:2: checks[0]")
        .contains("warning (95%) must be below critical (90%)");
  }

  @Test
  void badPercentageIsRejected() {
    ConfigException e = error("checks:\n  - { type: memory, warning: lots }\n");

    assertThat(e.getMessage()).contains("checks[0].warning").contains("\"lots\"");
  }

  @Test
  void badNodeNameIsRejected() {
    assertThat(error("node: web 01\n").getMessage())
        .startsWith("agent.yml:1: node")
        .contains("\"web 01\"");
  }

  @Test
  void collectorUrlMustBeHttp() {
    assertThat(error("collector: { url: \"ftp://x\" }\n").getMessage())
        .contains("collector")
        .contains("expected http://host:port");
  }

  @Test
  void tooShortIntervalIsRejected() {
    assertThat(error("interval: 500ms\n").getMessage()).contains("at least 1s");
  }

  @Test
  void tokenComesFromTheFileFirst(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("agent.token");
    Files.writeString(token, "s3cret\n");
    AgentConfig c = parse("collector: { token_file: " + token + " }\n");

    assertThat(AgentConfigLoader.token(c, Map.of("CUSTOS_TOKEN", "env"), "agent.yml"))
        .isEqualTo("s3cret");
    AgentConfigLoader.validate(c, "agent.yml");
  }

  @Test
  void tokenFallsBackToTheEnvironment() throws Exception {
    assertThat(
            AgentConfigLoader.token(parse(""), Map.of("CUSTOS_TOKEN", " from-env "), "agent.yml"))
        .isEqualTo("from-env");
  }

  @Test
  void noTokenAtAllIsAnErrorForRun() throws Exception {
    AgentConfig c = parse("");
    assertThatThrownBy(() -> AgentConfigLoader.token(c, Map.of(), "agent.yml"))
        .hasMessageContaining("CUSTOS_TOKEN")
        .hasMessageContaining("token_file");
    AgentConfigLoader.validate(c, "agent.yml");
  }

  @Test
  void missingTokenFileFailsValidation(@TempDir Path dir) throws Exception {
    AgentConfig c = parse("collector: { token_file: " + dir.resolve("nope") + " }\n");

    assertThatThrownBy(() -> AgentConfigLoader.validate(c, "agent.yml"))
        .hasMessage(
            "agent.yml: collector.token_file: cannot read \""
                + dir.resolve("nope")
                + "\": no such file");
  }

  @Test
  void emptyTokenFileFailsValidation(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("agent.token");
    Files.writeString(token, "\n");
    AgentConfig c = parse("collector: { token_file: " + token + " }\n");

    assertThatThrownBy(() -> AgentConfigLoader.validate(c, "agent.yml"))
        .hasMessageContaining("is empty");
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> AgentConfigLoader.load(dir.resolve("agent.yml")))
        .hasMessage(dir.resolve("agent.yml") + ": no such file");
  }

  @Test
  void aTokenFileOthersCanReadIsWarnedAbout(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path token = tmp.resolve("agent.token");
    java.nio.file.Files.writeString(token, "secret\n");
    java.nio.file.Files.setPosixFilePermissions(
        token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(AgentConfigLoader.tokenFileWarning(token))
        .hasValue(
            "collector.token_file \""
                + token
                + "\" is readable by others than its owner (rw-r--r--): anyone who reads it can"
                + " report as this node; chmod 600 it");
    java.nio.file.Files.setPosixFilePermissions(
        token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(AgentConfigLoader.tokenFileWarning(token)).isEmpty();
  }
}
