package io.custos.collector.traps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.collector.Collector;
import io.custos.collector.TestClock;
import io.custos.collector.TestReports;
import io.custos.collector.alert.AlertState;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.Role;
import io.custos.collector.store.ServiceRecord;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 and 23: a trap is never an agent, traps come only from configured sources and users, a
 * flood of names makes at most {@code max_hosts} hosts, and keyed rules clear the right port. Real
 * traps are sent by Net-SNMP's {@code snmptrap} (Debian package snmp) to a running collector.
 */
class TrapIsolationTest {
  static final Path SNMPTRAP = Path.of("/usr/bin/snmptrap");
  static final String SYS_NAME = "1.3.6.1.2.1.1.5.0";
  static final String LINK_DOWN = "1.3.6.1.6.3.1.1.5.3";
  static final String LINK_UP = "1.3.6.1.6.3.1.1.5.4";
  static final String IF_INDEX = "1.3.6.1.2.1.2.2.1.1";

  @TempDir Path dir;
  Collector collector;
  CollectorConfig config;
  final TestClock clock = new TestClock(Instant.parse("2026-12-08T01:00:00Z"));

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  void start(String trapsYaml) throws Exception {
    Files.writeString(dir.resolve("community"), "trap-test\n");
    Files.writeString(dir.resolve("auth"), "auth-pass-2026\n");
    Files.writeString(dir.resolve("priv"), "priv-pass-2026\n");
    config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '"
                + dir.resolve("collector.db")
                + "' }\nsnmp_traps:\n  listen: 127.0.0.1:0\n  community_file: '"
                + dir.resolve("community")
                + "'\n"
                + trapsYaml.replace("DIR", dir.toString()),
            "test.yml");
    collector = Collector.start(config, clock);
  }

  void snmptrap(String... args) throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(SNMPTRAP), "needs /usr/bin/snmptrap from the Debian package snmp");
    List<String> cmd = new ArrayList<>(List.of(SNMPTRAP.toString()));
    boolean v3 = args[0].equals("-v");
    if (!v3) {
      cmd.addAll(List.of("-v", "2c", "-c", "trap-test"));
    }
    List<String> rest = new ArrayList<>(List.of(args));
    // options first, then the address, the uptime ("" = now) and the varbinds
    int firstOid = 0;
    while (firstOid < rest.size() && rest.get(firstOid).startsWith("-")) {
      firstOid += 2;
    }
    cmd.addAll(rest.subList(0, firstOid));
    cmd.add("127.0.0.1:" + collector.traps().port());
    cmd.add("");
    cmd.addAll(rest.subList(firstOid, rest.size()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("MIBS", "");
    pb.environment().put("HOME", dir.toString()); // no ~/.snmp of the user running the tests
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  ServiceRecord service(String host, String name) {
    return collector.store().services(host).stream()
        .filter(s -> s.service().equals(name))
        .findFirst()
        .orElse(null);
  }

  void agentReportsLoadCritical(String node, long firstSeq) {
    for (long seq = firstSeq; seq < firstSeq + 3; seq++) {
      collector
          .alerts()
          .ingest(
              TestReports.report(
                  node,
                  seq,
                  clock.millis(),
                  TestReports.result(
                      "Load", Status.CRITICAL, "LOAD CRITICAL - 24.1", clock.millis())));
      clock.advance(Duration.ofSeconds(30));
    }
  }

  void assertLoadAlerts(String node) {
    AlertState load = collector.alerts().states().get(node + "\0Load");
    assertThat(load).isNotNull();
    assertThat(load.hard()).isTrue();
    assertThat(load.hardStatus()).isEqualTo(Status.CRITICAL);
    assertThat(collector.store().events(node, 0))
        .anyMatch(e -> e.service().equals("Load") && e.output().contains("HARD CRITICAL"));
    HostRecord host =
        collector.store().hosts().stream().filter(h -> h.name().equals(node)).findFirst().get();
    assertThat(host.agent()).isEqualTo("custos-agent/0.1.0");
    assertThat(host.intervalS()).isEqualTo(30);
  }

  @Test
  void aLinkDownTrapNamingAnAgentNodeBySysNameIsRefusedAndTheAgentStillAlerts() throws Exception {
    start(
        "  sources: [127.0.0.1]\n  rules:\n"
            + "    - { oid: linkDown, host_from: 'varbind:1.3.6.1.2.1.1.5.0', service: Link traps,"
            + " status: CRITICAL }\n");
    collector.store().addToken("a".repeat(64), Role.NODE, "web03");
    collector.alerts().ingest(TestReports.report("web03", 1, clock.millis()));

    snmptrap(LINK_DOWN, SYS_NAME, "s", "web03", IF_INDEX + ".3", "i", "3");
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.traps().dropped() == 1);

    agentReportsLoadCritical("web03", 2);
    assertLoadAlerts("web03");
    assertThat(service("web03", "Link traps")).isNull();
    assertThat(collector.store().events("web03", 0))
        .noneMatch(e -> e.output() != null && e.output().startsWith("SNMP trap"));
  }

  @Test
  void anAgentTakesOverAHostTrapsMadeBeforeItsFirstReport() throws Exception {
    start(
        "  sources: [127.0.0.1]\n  rules:\n"
            + "    - { oid: linkDown, host_from: 'varbind:1.3.6.1.2.1.1.5.0', service: Link traps,"
            + " status: CRITICAL }\n");
    snmptrap(LINK_DOWN, SYS_NAME, "s", "web03", IF_INDEX + ".3", "i", "3");
    await().atMost(Duration.ofSeconds(10)).until(() -> service("web03", "Link traps") != null);

    // the node is enrolled later; the trap's seq (its receive time in ms) must not make the
    // agent's reports late
    collector.store().addToken("b".repeat(64), Role.NODE, "web03");
    agentReportsLoadCritical("web03", 1);
    assertLoadAlerts("web03");

    // from now on traps naming it are refused
    snmptrap(LINK_DOWN, SYS_NAME, "s", "web03", IF_INDEX + ".4", "i", "4");
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.traps().dropped() == 1);
  }

  @Test
  void trapsFromOutsideTheSourcesOrARuleFromAreNotApplied() throws Exception {
    start(
        "  sources: [192.0.2.0/24]\n  rules:\n"
            + "    - { oid: linkDown, service: Link traps, status: CRITICAL }\n");
    snmptrap(LINK_DOWN, IF_INDEX + ".3", "i", "3");
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.traps().dropped() == 1);
    assertThat(collector.store().hosts()).isEmpty();
    assertThat(collector.traps().received()).isZero();
  }

  @Test
  void aRuleWhoseFromDoesNotHoldTheSenderDoesNotApply() throws Exception {
    start(
        "  sources: [127.0.0.0/8]\n  rules:\n"
            + "    - { oid: linkDown, service: Core links, status: CRITICAL, from: [192.0.2.1] }\n"
            + "    - { oid: linkDown, service: Edge links, status: WARNING }\n");
    snmptrap(LINK_DOWN, IF_INDEX + ".3", "i", "3");
    await().atMost(Duration.ofSeconds(10)).until(() -> service("127.0.0.1", "Edge links") != null);
    assertThat(service("127.0.0.1", "Core links")).isNull();
  }

  @Test
  void distinctSysNamesMakeAtMostMaxHostsHosts() throws Exception {
    start(
        "  sources: [127.0.0.1]\n  max_hosts: 3\n  rules:\n"
            + "    - { oid: linkDown, host_from: 'varbind:1.3.6.1.2.1.1.5.0', service: Link,"
            + " status: CRITICAL }\n");
    for (int i = 0; i < 6; i++) {
      snmptrap(LINK_DOWN, SYS_NAME, "s", "flood" + i);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> collector.traps().dropped() == 3 && collector.store().hosts().size() == 3);
    assertThat(collector.traps().received()).isEqualTo(3);
    // an existing trap host still takes traps
    snmptrap(LINK_DOWN, SYS_NAME, "s", "flood0");
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.traps().received() == 4);
  }

  @Test
  void aLinkUpOfPort1DoesNotClearPort3sLinkDown() throws Exception {
    start(
        "  sources: [127.0.0.1]\n  rules:\n"
            + "    - { oid: linkDown, service: Link, key_from: 'varbind:1.3.6.1.2.1.2.2.1.1',"
            + " status: CRITICAL }\n"
            + "    - { oid: linkUp, service: Link, key_from: 'varbind:1.3.6.1.2.1.2.2.1.1',"
            + " status: OK }\n");
    snmptrap(LINK_DOWN, IF_INDEX + ".3", "i", "3");
    snmptrap(LINK_DOWN, IF_INDEX + ".1", "i", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> service("127.0.0.1", "Link 1") != null);
    snmptrap(LINK_UP, IF_INDEX + ".1", "i", "1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> service("127.0.0.1", "Link 1").status() == Status.OK);
    assertThat(service("127.0.0.1", "Link 3").status()).isEqualTo(Status.CRITICAL);
    // a rule's service per key is hard at its first trap, as the unkeyed one
    assertThat(config.defaults().maxAttemptsOf("Link 3")).isEqualTo(1);
  }

  @Test
  void anOnBatteryTrapClearsAfterClearAfterWithoutAnother() throws Exception {
    start(
        "  sources: [127.0.0.1]\n  rules:\n"
            + "    - { oid: upsTrapOnBattery, host_from: 'varbind:1.3.6.1.2.1.1.5.0', service: UPS,"
            + " status: WARNING, clear_after: 30m }\n");
    snmptrap("1.3.6.1.2.1.33.2.1", SYS_NAME, "s", "ups1");
    await().atMost(Duration.ofSeconds(10)).until(() -> service("ups1", "UPS") != null);
    assertThat(service("ups1", "UPS").status()).isEqualTo(Status.WARNING);

    clock.advance(Duration.ofMinutes(29));
    collector.traps().clearExpired();
    assertThat(service("ups1", "UPS").status()).isEqualTo(Status.WARNING);

    clock.advance(Duration.ofMinutes(1));
    collector.traps().clearExpired();
    assertThat(service("ups1", "UPS").status()).isEqualTo(Status.OK);
    assertThat(service("ups1", "UPS").output())
        .isEqualTo("OK - no trap for 30m (clear_after): cleared");
  }

  @Test
  void snmpV3TrapsOfAConfiguredUserAreAcceptedAndOthersDropped() throws Exception {
    start(
        "  sources: [127.0.0.1]\n  users:\n"
            + "    - { name: traps, auth: SHA, auth_pass_file: 'DIR/auth', priv: AES,"
            + " priv_pass_file: 'DIR/priv' }\n"
            + "  rules:\n    - { oid: linkDown, service: Link traps, status: CRITICAL }\n");
    snmptrap(
        "-v",
        "3",
        "-e",
        "0x8000000001020304",
        "-u",
        "traps",
        "-l",
        "authPriv",
        "-a",
        "SHA",
        "-A",
        "auth-pass-2026",
        "-x",
        "AES",
        "-X",
        "priv-pass-2026",
        LINK_DOWN,
        IF_INDEX + ".3",
        "i",
        "3");
    await().atMost(Duration.ofSeconds(10)).until(() -> service("127.0.0.1", "Link traps") != null);

    snmptrap(
        "-v",
        "3",
        "-e",
        "0x8000000001020305",
        "-u",
        "traps",
        "-l",
        "authPriv",
        "-a",
        "SHA",
        "-A",
        "wrong-pass-2026",
        "-x",
        "AES",
        "-X",
        "priv-pass-2026",
        LINK_DOWN,
        IF_INDEX + ".4",
        "i",
        "4");
    snmptrap(
        "-v",
        "3",
        "-e",
        "0x8000000001020306",
        "-u",
        "traps",
        "-l",
        "noAuthNoPriv",
        LINK_DOWN,
        IF_INDEX + ".5",
        "i",
        "5");
    snmptrap(
        "-v",
        "3",
        "-e",
        "0x8000000001020304",
        "-u",
        "traps",
        "-l",
        "authPriv",
        "-a",
        "SHA",
        "-A",
        "auth-pass-2026",
        "-x",
        "AES",
        "-X",
        "priv-pass-2026",
        LINK_DOWN,
        IF_INDEX + ".6",
        "i",
        "6");
    // one listening thread takes datagrams in order: once the last is in, the two before are done
    java.util.function.Supplier<List<String>> ports =
        () ->
            collector.store().events("127.0.0.1", 0).stream()
                .filter(
                    e ->
                        e.kind().equals("alert")
                            && e.output() != null
                            && e.output().startsWith("SNMP"))
                .map(e -> e.output().substring(e.output().lastIndexOf('=') + 1))
                .toList();
    await().atMost(Duration.ofSeconds(10)).until(() -> ports.get().size() >= 2);
    assertThat(collector.traps().received()).isEqualTo(2);
    assertThat(ports.get()).containsExactly("3", "6");
  }

  @Test
  void withoutSourcesEveryTrapIsDropped() throws Exception {
    start("  rules:\n    - { oid: linkDown, service: Link traps, status: CRITICAL }\n");
    snmptrap(LINK_DOWN, IF_INDEX + ".3", "i", "3");
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.traps().dropped() == 1);
    assertThat(collector.traps().received()).isZero();
    assertThat(collector.store().hosts()).isEmpty();
  }
}
