package io.custos.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorConfigTest {
  @TempDir Path dir;

  @Test
  void everythingHasADefault() throws Exception {
    CollectorConfig c = CollectorConfig.parse("# nothing\n", "collector.yml");

    assertThat(c).isEqualTo(CollectorConfig.ofDefaults());
    assertThat(c.listenHost()).isEqualTo("127.0.0.1");
    assertThat(c.listenPort()).isEqualTo(8480);
    assertThat(c.store().sqlitePath()).isEqualTo(Path.of("/var/lib/custos/collector.db"));
    assertThat(c.hosts().absentAfter()).isEqualTo(3);
    assertThat(c.defaults().maxAttempts()).isEqualTo(3);
    assertThat(c.http().maxBodyBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(c.dashboardUrl()).isNull();
  }

  @Test
  void readsEveryKey() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("collector.yml"),
            """
            listen: "[::1]:0"
            store: { sqlite: /tmp/x.db }
            hosts: { absent_after: 5 }
            defaults: { max_attempts: 4 }
            http: { max_body: 64KB }
            dashboard_url: https://mon.example.net/
            """);

    CollectorConfig c = CollectorConfig.load(file);

    assertThat(c.listenHost()).isEqualTo("::1");
    assertThat(c.listenPort()).isZero();
    assertThat(c.store().sqlite()).isEqualTo("/tmp/x.db");
    assertThat(c.hosts().absentAfter()).isEqualTo(5);
    assertThat(c.defaults().maxAttempts()).isEqualTo(4);
    assertThat(c.http().maxBodyBytes()).isEqualTo(65536);
    assertThat(c.dashboardUrl()).isEqualTo("https://mon.example.net/");
  }

  @Test
  void anUnknownKeyNamesFileLineAndKey() {
    assertThatThrownBy(
            () -> CollectorConfig.parse("listen: 127.0.0.1:1\nhosts:\n  absent_aftr: 3\n", "c.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("c.yml:3: hosts.absent_aftr: unknown key");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> CollectorConfig.parse("listen: localhost\n", "c.yml"))
        .hasMessageContaining("listen: expected host:port")
        .hasMessageContaining("\"localhost\"");
    assertThatThrownBy(() -> CollectorConfig.parse("listen: 1.2.3.4:70000\n", "c.yml"))
        .hasMessageContaining("port from 0 to 65535");
    assertThatThrownBy(() -> CollectorConfig.parse("hosts: { absent_after: 0 }\n", "c.yml"))
        .hasMessageContaining("absent_after: must be at least 1, got 0");
    assertThatThrownBy(() -> CollectorConfig.parse("http: { max_body: lots }\n", "c.yml"))
        .hasMessageContaining("c.yml:1")
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> CollectorConfig.parse("dashboard_url: ftp://x/\n", "c.yml"))
        .hasMessageContaining("dashboard_url: expected an http(s) URL");
  }

  @Test
  void theIssue21LimitsHaveDefaultsAndAreChecked() throws Exception {
    CollectorConfig d = CollectorConfig.ofDefaults();
    assertThat(d.http().maxConnectionsPerAddress()).isEqualTo(256);
    assertThat(d.http().reservedConnections()).isEqualTo(128);
    assertThat(d.http().bodyMinRate().bytes()).isEqualTo(500);
    assertThat(d.http().shedQueue()).isEqualTo(256);
    assertThat(d.http().maxQueueWait()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(d.limits().outputSize().bytes()).isEqualTo(8192);
    assertThat(d.limits().longOutputSize().bytes()).isEqualTo(65536);

    CollectorConfig c =
        CollectorConfig.parse(
            "http: { max_connections: 300, body_min_rate: 1KB, max_queue_wait: 5s }\n"
                + "limits: { output_size: 4KB, long_output_size: 1MB }\n",
            "c.yml");
    assertThat(c.http().maxConnectionsPerAddress()).isEqualTo(75);
    assertThat(c.http().reservedConnections()).isEqualTo(37);
    assertThat(c.http().bodyMinRate().bytes()).isEqualTo(1024);
    assertThat(c.limits().outputSize().bytes()).isEqualTo(4096);

    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "http: { max_connections: 10, reserved_connections: 10 }\n", "c.yml"))
        .hasMessageContaining("reserved_connections: expected from 0 to max_connections - 1 (9)");
    assertThatThrownBy(() -> CollectorConfig.parse("http: { shed_queue: 513 }\n", "c.yml"))
        .hasMessageContaining("shed_queue: expected from 1 to 512, got 513");
    assertThatThrownBy(() -> CollectorConfig.parse("limits: { output_size: 2MB }\n", "c.yml"))
        .hasMessageContaining("output_size: expected between 64B and 1MB, got 2MB");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> CollectorConfig.load(dir.resolve("nope.yml")))
        .hasMessage(dir.resolve("nope.yml") + ": no such file");
  }

  @Test
  void historyGroupsAndPostgresqlAreRead() throws Exception {
    Path pass = Files.writeString(dir.resolve("pg.pass"), "s3cret\nignored\n");
    CollectorConfig c =
        CollectorConfig.parse(
            "store: { postgresql: { url: 'jdbc:postgresql://db1/custos', user: custos,"
                + " password_file: '"
                + pass
                + "' } }\nhistory: { raw: 24h, 5m: 14d, 1h: 2y }\n".replace("2y", "730d")
                + "groups: { web: [\"web*\"], db: [\"db??\", \"pg-*\"] }\n",
            "c.yml");

    assertThat(c.store().sqlite()).isNull();
    assertThat(c.store().postgresql().url()).isEqualTo("jdbc:postgresql://db1/custos");
    assertThat(c.store().postgresql().readPassword()).isEqualTo("s3cret");
    assertThat(c.store().postgresql().poolSize()).isEqualTo(4);
    assertThat(c.history().raw()).hasHours(24);
    assertThat(c.history().oneHour()).hasDays(730);
    assertThat(new io.custos.collector.status.HostGroups(c.groups()).of("db01", List.of("eu")))
        .containsExactly("db", "eu");
    assertThat(CollectorConfig.ofDefaults().history())
        .isEqualTo(
            new CollectorConfig.HistorySection(
                Duration.ofHours(48), Duration.ofDays(30), Duration.ofDays(400)));
  }

  @Test
  void badStoreHistoryAndGroupValuesAreNamed() throws Exception {
    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "store: { sqlite: /x.db, postgresql: { url: 'jdbc:postgresql://h/d' } }\n",
                    "c.yml"))
        .hasMessageContaining("exactly one of sqlite and postgresql");
    assertThatThrownBy(
            () -> CollectorConfig.parse("store: { postgresql: { url: 'mysql://h' } }\n", "c.yml"))
        .hasMessageContaining("url: expected jdbc:postgresql://");
    assertThat(
            CollectorConfig.parse(
                    "store: { postgresql: { url: 'jdbc:postgresql://h/d', pool_size: 12 } }\n",
                    "c.yml")
                .store()
                .postgresql()
                .poolSize())
        .isEqualTo(12);
    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "store: { postgresql: { url: 'jdbc:postgresql://h/d', pool_size: 0 } }\n",
                    "c.yml"))
        .hasMessageContaining("pool_size: expected 1 to 100 connections, got 0");
    assertThatThrownBy(() -> CollectorConfig.parse("history: { raw: 10d, 5m: 1d }\n", "c.yml"))
        .hasMessageContaining("5m: must be at least as long as raw");
    assertThatThrownBy(() -> CollectorConfig.parse("history: { raw: soon }\n", "c.yml"))
        .hasMessageContaining("raw");
    assertThatThrownBy(() -> CollectorConfig.parse("groups: { web: [] }\n", "c.yml"))
        .hasMessageContaining("groups.web: expected a list");
  }

  @Test
  void notifyRulesAndGroupsAreReadAndDefaulted() throws Exception {
    CollectorConfig d = CollectorConfig.parse("# nothing\n", "c.yml");
    assertThat(d.notifications().renotify()).isEqualTo(java.time.Duration.ofHours(2));
    assertThat(d.notifications().groupWait()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(d.notifications().flapping().start()).isEqualTo(20.0);
    assertThat(d.notifications().flapping().stop()).isEqualTo(5.0);
    assertThat(d.rules()).isEmpty();

    CollectorConfig c =
        CollectorConfig.parse(
            "defaults: { max_attempts: 4, max_attempts_for: { \"Filesystem *\": 2 } }\n"
                + "groups: { web: [\"web*\"] }\n"
                + "notify:\n"
                + "  renotify: 30m\n"
                + "  group_wait: 0s\n"
                + "  email: { to: [ops@example.net], smtp: { host: relay, starttls: required,"
                + " username: u, password_file: /etc/custos/smtp.pass } }\n"
                + "  webhooks: [ { url: \"https://hooks.example.net/x\" } ]\n"
                + "rules:\n"
                + "  - { name: Root full, metric: fs_used_percent, labels: { mount: / },"
                + " critical: \"> 95\", for: 10m, group: web }\n",
            "c.yml");
    assertThat(c.defaults().maxAttemptsOf("Filesystem /")).isEqualTo(2);
    assertThat(c.defaults().maxAttemptsOf("Load")).isEqualTo(4);
    assertThat(c.notifications().email().smtp().port()).isEqualTo(25);
    assertThat(c.notifications().email().smtp().starttls())
        .isEqualTo(NotifySection.StartTls.REQUIRED);
    assertThat(c.notifications().email().sendmail()).isNull();
    assertThat(c.notifications().effectiveEmail().to()).containsExactly("ops@example.net");
    assertThat(c.rules().get(0).holdFor()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(c.groups()).containsKey("web");
  }

  @Test
  void badNotifyAndRuleValuesAreNamed() {
    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "notify: { email: { smtp: { host: r, starttls: maybe } } }\n", "c.yml"))
        .hasMessageContaining("c.yml")
        .hasMessageContaining("starttls");
    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "notify: { email: { sendmail: /x, smtp: { host: r } } }\n", "c.yml"))
        .hasMessageContaining("either sendmail or smtp");
    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "notify: { email: { smtp: { host: r, username: u } } }\n", "c.yml"))
        .hasMessageContaining("password_file");
    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "rules: [ { name: x, metric: m, critical: \"above 3\" } ]\n", "c.yml"))
        .hasMessageContaining("\"above 3\"");
    assertThatThrownBy(() -> CollectorConfig.parse("notify: { renotfy: 2h }\n", "c.yml"))
        .hasMessageContaining("renotfy");
    assertThatThrownBy(
            () -> CollectorConfig.parse("notify: { flapping: { start: 5, stop: 20 } }\n", "c.yml"))
        .hasMessageContaining("flapping");
  }

  @Test
  void servicesSetBySnmpTrapsAreHardAtTheFirstTrapUnlessTheOperatorSaysOtherwise()
      throws Exception {
    java.nio.file.Path community = java.nio.file.Files.createTempFile("community", "");
    try {
      CollectorConfig c =
          CollectorConfig.parse(
              "defaults: { max_attempts_for: { \"UPS*\": 2 } }\n"
                  + "snmp_traps:\n  listen: 127.0.0.1:0\n  sources: [127.0.0.1]\n  community_file: '"
                  + community
                  + "'\n  rules:\n"
                  + "    - { oid: linkDown, service: Link traps, status: CRITICAL }\n"
                  + "    - { oid: upsTrapOnBattery, service: UPS traps, status: WARNING }\n",
              "c.yml");
      assertThat(c.defaults().maxAttemptsOf("Link traps")).isEqualTo(1);
      assertThat(c.defaults().maxAttemptsOf("UPS traps")).isEqualTo(2);
      assertThat(c.defaults().maxAttemptsOf("Load")).isEqualTo(3);
    } finally {
      java.nio.file.Files.delete(community);
    }
  }
}
