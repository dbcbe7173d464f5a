package io.custos.agent.check.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.agent.check.CheckContext;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snmp check over real UDP against snmpsim replaying the LibreNMS captures of issue 25: the
 * Tripp Lite UPS whose own alarm table says its battery needs replacing, and the HP 2530 switch
 * with one cable in. Skipped, saying so, where the Debian package snmpsim is absent.
 */
class SnmpsimCapturesTest {
  @TempDir static Path dir;
  static Snmpsim snmpsim;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        Snmpsim.installed(), "needs /usr/bin/snmpsimd from the Debian package snmpsim");
    snmpsim =
        Snmpsim.start(dir, "tripplite", SnmpCheckTest.TRIPPLITE, "hp-2530", SnmpCheckTest.HP_2530);
    SnmpCheck probe = new SnmpCheck(config("tripplite", null, false));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(snmpsim.alive()).as("snmpsimd running (see %s)", dir).isTrue();
              assertThat(probe.run(context()).get(0).status()).isEqualTo(Status.OK);
            });
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (snmpsim != null) {
      snmpsim.close();
    }
  }

  static CheckContext context() {
    return new CheckContext(Path.of("/"), Clock.systemUTC());
  }

  static SnmpConfig config(String community, SnmpConfig.Interfaces ifs, boolean ups) {
    return new SnmpConfig(
        "127.0.0.1",
        snmpsim.port(),
        "2c",
        dir.resolve(community),
        null,
        null,
        null,
        null,
        null,
        null,
        ifs,
        ups,
        1,
        Duration.ofSeconds(2),
        community);
  }

  @Test
  void trippliteBatteryBadAlarmIsNamedAndWarning() {
    List<CheckResult> r = new SnmpCheck(config("tripplite", null, true)).run(context());
    CheckResult ups = SnmpCheckTest.service(r, "UPS tripplite");
    assertThat(ups.status()).isEqualTo(Status.WARNING);
    assertThat(ups.output())
        .startsWith(
            "UPS WARNING - tripplite alarm upsAlarmBatteryBad (batteries need replacement),");
  }

  @Test
  void hp2530WithInterfacesEmptyJudgesThePortsInUseOnly() {
    List<CheckResult> r =
        new SnmpCheck(
                config("hp-2530", new SnmpConfig.Interfaces(null, null, null, null, null), false))
            .run(context());
    assertThat(r)
        .extracting(CheckResult::service)
        .containsExactly("SNMP hp-2530", "SNMP hp-2530 2", "SNMP hp-2530 28");
    assertThat(r)
        .extracting(CheckResult::status)
        .containsExactly(Status.OK, Status.CRITICAL, Status.OK);
  }
}
