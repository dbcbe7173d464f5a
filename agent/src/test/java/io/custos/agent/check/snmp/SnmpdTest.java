package io.custos.agent.check.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.agent.check.CheckContext;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Files;
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
 * The snmp check against a real Net-SNMP agent: Debian's {@code /usr/sbin/snmpd}, started on a free
 * loopback port with a test community and v3 users (SHA/AES and SHA-256/AES authPriv).
 */
class SnmpdTest {
  @TempDir static Path dir;
  static Snmpd snmpd;
  static int port;

  @BeforeAll
  static void startSnmpd() throws Exception {
    Assumptions.assumeTrue(
        Snmpd.installed(), "needs /usr/sbin/snmpd from the Debian package snmpd");
    snmpd = Snmpd.start(dir);
    port = snmpd.port();
    Files.writeString(dir.resolve("wrong-community"), "not-the-community\n");
    Files.writeString(dir.resolve("wrong-auth"), "not-the-auth-pass\n");
    Files.writeString(dir.resolve("wrong-priv"), "not-the-priv-pass\n");
    SnmpCheck probe = new SnmpCheck(v2c("community", List.of(), null));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(snmpd.alive()).as("snmpd running (see %s)", dir).isTrue();
              assertThat(probe.run(context()).get(0).status()).isEqualTo(Status.OK);
            });
  }

  @AfterAll
  static void stopSnmpd() throws InterruptedException {
    if (snmpd != null) {
      snmpd.close();
    }
  }

  static CheckContext context() {
    return new CheckContext(Path.of("/"), Clock.systemUTC());
  }

  static SnmpConfig v2c(String file, List<SnmpConfig.Item> get, SnmpConfig.Interfaces ifs) {
    return new SnmpConfig(
        "127.0.0.1",
        port,
        "2c",
        dir.resolve(file),
        null,
        null,
        null,
        null,
        null,
        get,
        ifs,
        null,
        0,
        Duration.ofMillis(500),
        "local");
  }

  static SnmpConfig v3(String user, String auth, String authFile) {
    return v3(user, auth, authFile, "priv");
  }

  static SnmpConfig v3(String user, String auth, String authFile, String privFile) {
    return new SnmpConfig(
        "127.0.0.1",
        port,
        "3",
        null,
        user,
        auth,
        dir.resolve(authFile),
        "aes",
        dir.resolve(privFile),
        List.of(SnmpCheckTest.item("sysName", null, null)),
        null,
        null,
        0,
        Duration.ofSeconds(1),
        "local");
  }

  @Test
  void v2cGetsUptimeAndSysDescrAndWalksTheInterfaceTable() throws IOException {
    var get =
        List.of(
            SnmpCheckTest.item("sysDescr", null, null),
            SnmpCheckTest.item("ifDescr", null, null),
            SnmpCheckTest.item("sysUpTime", null, "~:0.01"));
    var check =
        new SnmpCheck(
            v2c("community", get, new SnmpConfig.Interfaces("lo", null, null, null, null)));

    List<CheckResult> r = check.run(context());

    CheckResult device = SnmpCheckTest.service(r, "SNMP local");
    // sysUpTime of a fresh agent is above 0.01 s: the critical range proves it was read and judged
    assertThat(device.status()).isEqualTo(Status.CRITICAL);
    assertThat(device.output())
        .startsWith("SNMP CRITICAL - local sysUpTime ")
        .contains("(critical ~:0.01)")
        .contains(", sysDescr Linux")
        .contains("ifDescr.1 lo");
    assertThat(SnmpCheckTest.metric(device, "snmp_up")).isEqualTo(1);
    CheckResult lo = SnmpCheckTest.service(r, "SNMP local lo");
    assertThat(lo.status()).isEqualTo(Status.OK);
    assertThat(lo.output()).startsWith("SNMP OK - lo up, ");
    assertThat(SnmpCheckTest.metric(lo, "snmp_if_oper_up")).isEqualTo(1);
  }

  @Test
  void v3AuthPrivWithShaAndSha256AndAes() {
    for (var c : List.of(v3("custos", "sha", "auth"), v3("custos256", "sha256", "auth"))) {
      CheckResult r = new SnmpCheck(c).run(context()).get(0);
      assertThat(r.status()).as(c.user()).isEqualTo(Status.OK);
      assertThat(r.output()).startsWith("SNMP OK - local up ").contains("sysName ");
    }
  }

  @Test
  void aWrongV3PasswordIsUnknownNamingTheReason() {
    CheckResult r = new SnmpCheck(v3("custos", "sha", "wrong-auth")).run(context()).get(0);

    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output())
        .isEqualTo(
            "SNMP UNKNOWN - 127.0.0.1:"
                + port
                + " answers SNMP engine discovery but not user \"custos\": wrong auth password or"
                + " protocol (auth_password_file, auth_protocol)");
  }

  @Test
  void aWrongPrivacyPasswordIsToldApartFromAWrongAuthPassword() {
    CheckResult r = new SnmpCheck(v3("custos", "sha", "auth", "wrong-priv")).run(context()).get(0);

    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output())
        .isEqualTo(
            "SNMP UNKNOWN - 127.0.0.1:"
                + port
                + " answers user \"custos\" without privacy but not with it: wrong privacy"
                + " password or protocol (priv_password_file, priv_protocol)");
  }

  @Test
  void aWrongCommunityGetsNoAnswerWhichIsCritical() {
    CheckResult r = new SnmpCheck(v2c("wrong-community", List.of(), null)).run(context()).get(0);

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "SNMP CRITICAL - no answer from 127.0.0.1:"
                + port
                + " within 500ms (1 tries; wrong community?)");
  }
}
