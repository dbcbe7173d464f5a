package io.custos.collector.traps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.config.TrapsSection;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.ServiceRecord;
import io.custos.common.config.ConfigException;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.VariableBinding;

/**
 * The collector's SNMP v2c trap receiver end to end: real traps sent by Net-SNMP's {@code snmptrap}
 * (Debian package snmp) to a running collector with an SQLite store.
 */
class TrapReceiverTest {
  static final Path SNMPTRAP = Path.of("/usr/bin/snmptrap");

  @TempDir Path dir;
  Collector collector;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("community"), "trap-test\n");
    CollectorConfig config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '"
                + dir.resolve("collector.db")
                + "' }\nsnmp_traps:\n  listen: 127.0.0.1:0\n  sources: [127.0.0.1]\n  community_file: '"
                + dir.resolve("community")
                + "'\n  rules:\n"
                + "    - { oid: linkDown, service: Link traps, status: CRITICAL }\n"
                + "    - { oid: linkUp, service: Link traps, status: OK }\n"
                + "    - { oid: upsTrapOnBattery, host_from: 'varbind:1.3.6.1.2.1.1.5.0',"
                + " service: UPS traps, status: WARNING }\n",
            "test.yml");
    collector = Collector.start(config, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  void snmptrap(String community, String... oidTypeValues) throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(SNMPTRAP), "needs /usr/bin/snmptrap from the Debian package snmp");
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            SNMPTRAP.toString(),
            "-v",
            "2c",
            "-c",
            community,
            "127.0.0.1:" + collector.traps().port(),
            ""));
    cmd.addAll(List.of(oidTypeValues));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("MIBS", "");
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

  @Test
  void linkDownSetsTheRuleServiceCriticalAndLinkUpRecoversIt() throws Exception {
    snmptrap(
        "trap-test",
        "1.3.6.1.6.3.1.1.5.3",
        "1.3.6.1.2.1.2.2.1.1.3",
        "i",
        "3",
        "1.3.6.1.2.1.2.2.1.2.3",
        "s",
        "Gi0/3");

    await().atMost(Duration.ofSeconds(10)).until(() -> service("127.0.0.1", "Link traps") != null);
    ServiceRecord down = service("127.0.0.1", "Link traps");
    assertThat(down.status()).isEqualTo(Status.CRITICAL);
    assertThat(down.output())
        .isEqualTo(
            "SNMP trap linkDown (1.3.6.1.6.3.1.1.5.3) from 127.0.0.1: 1.3.6.1.2.1.2.2.1.1.3=3,"
                + " 1.3.6.1.2.1.2.2.1.2.3=Gi0/3");

    // one trap is one event: the service is hard at once, not SOFT 1/3 waiting for two more
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                collector.store().events("127.0.0.1", 0).stream()
                    .anyMatch(e -> e.output() != null && e.output().contains("HARD CRITICAL")));

    snmptrap("trap-test", "1.3.6.1.6.3.1.1.5.4", "1.3.6.1.2.1.2.2.1.1.3", "i", "3");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> service("127.0.0.1", "Link traps").status() == Status.OK);
    List<EventRecord> events = collector.store().events("127.0.0.1", 0);
    assertThat(events)
        .filteredOn(e -> e.kind().equals("state"))
        .extracting(EventRecord::newStatus)
        .contains(Status.CRITICAL, Status.OK);
    assertThat(events)
        .filteredOn(e -> e.kind().equals("alert") && e.output().startsWith("SNMP trap link"))
        .hasSize(2);
  }

  @Test
  void aTrapNoRuleMatchesIsAnEventOnlyAndAWrongCommunityIsDroppedAndCounted() throws Exception {
    snmptrap("not-the-community", "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1.3", "i", "3");
    snmptrap("trap-test", "1.3.6.1.6.3.1.1.5.1");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !collector.store().events("127.0.0.1", 0).isEmpty());
    assertThat(collector.store().events("127.0.0.1", 0))
        .extracting(EventRecord::service, EventRecord::output)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "SNMP traps", "SNMP trap coldStart (1.3.6.1.6.3.1.1.5.1) from 127.0.0.1"));
    assertThat(collector.store().services("127.0.0.1")).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.traps().dropped() == 1);
    assertThat(collector.traps().received()).isEqualTo(1);
  }

  @Test
  void hostFromAVarbindNamesTheHost() {
    TrapsSection config =
        new TrapsSection(
            "127.0.0.1:0",
            List.of("10.0.0.0/8"),
            Path.of("/c"),
            null,
            null,
            List.of(
                new TrapsSection.Rule(
                    "upsTrapOnBattery", "varbind:1.3.6.1.2.1.1.5.0", null, "UPS", Status.WARNING)));

    TrapReceiver.Meaning m =
        TrapReceiver.meaning(
            config,
            "10.0.0.9",
            List.of(
                new VariableBinding(new OID("1.3.6.1.2.1.1.3.0"), new TimeTicks(100)),
                new VariableBinding(
                    new OID("1.3.6.1.6.3.1.1.4.1.0"), new OID("1.3.6.1.2.1.33.2.1")),
                new VariableBinding(new OID("1.3.6.1.2.1.1.5.0"), new OctetString("ups1")),
                new VariableBinding(new OID("1.3.6.1.2.1.33.1.2.3.0"), new Integer32(12))));

    assertThat(m.host()).isEqualTo("ups1");
    assertThat(m.status()).isEqualTo(Status.WARNING);
    assertThat(m.text())
        .isEqualTo(
            "SNMP trap upsTrapOnBattery (1.3.6.1.2.1.33.2.1) from 10.0.0.9:"
                + " 1.3.6.1.2.1.1.5.0=ups1, 1.3.6.1.2.1.33.1.2.3.0=12");
  }

  @Test
  void badRulesNameTheKey() {
    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "snmp_traps: { sources: [10.0.0.1], community_file: /c, rules: [ { oid: linkDwn, service: L,"
                        + " status: CRITICAL } ] }\n",
                    "t.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[].oid: expected a numeric OID or one of")
        .hasMessageContaining("linkDwn");
    assertThatThrownBy(() -> CollectorConfig.parse("snmp_traps: { listen: ':1162' }\n", "t.yml"))
        .hasMessageContaining("snmp_traps");
  }
}
