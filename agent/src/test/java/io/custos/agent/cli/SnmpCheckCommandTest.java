package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.agent.check.snmp.Snmpd;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos-agent check --all} shows the snmp check's results and metrics (real snmpd). */
class SnmpCheckCommandTest {
  @TempDir Path dir;

  @Test
  void checkAllShowsSnmpResultsWithTheirPerfdata() throws Exception {
    Assumptions.assumeTrue(
        Snmpd.installed(), "needs /usr/sbin/snmpd from the Debian package snmpd");
    try (Snmpd snmpd = Snmpd.start(dir)) {
      Path cfg = dir.resolve("agent.yml");
      Files.writeString(
          cfg,
          "checks:\n"
              + "  - type: snmp\n"
              + "    name: lab\n"
              + "    host: 127.0.0.1\n"
              + "    port: "
              + snmpd.port()
              + "\n"
              + "    version: 3\n"
              + "    user: custos\n"
              + "    auth_password_file: "
              + dir.resolve("auth")
              + "\n"
              + "    priv_protocol: aes\n"
              + "    priv_password_file: "
              + dir.resolve("priv")
              + "\n"
              + "    get: [ { name: sysName } ]\n"
              + "    interfaces: { match: lo }\n");
      AgentMain.Env env = new AgentMain.Env(Map.of(), dir.resolve("no-such.yml"), Path.of("/"));

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                StringWriter out = new StringWriter();
                int code =
                    AgentMain.execute(
                        new String[] {"check", "--all", "-c", cfg.toString()},
                        env,
                        new PrintWriter(out, true),
                        new PrintWriter(new StringWriter(), true));
                assertThat(code).as(out.toString()).isZero();
                assertThat(out.toString().lines())
                    .anySatisfy(
                        l ->
                            assertThat(l)
                                .startsWith("SNMP lab: SNMP OK - lab up ")
                                .contains("sysName ")
                                .contains(" | 'snmp_up{device=\"lab\"}'=1 'snmp_uptime_seconds{"))
                    .anySatisfy(
                        l ->
                            assertThat(l)
                                .startsWith("SNMP lab lo: SNMP OK - lo up, 10Mb/s | ")
                                .contains(
                                    "'snmp_if_oper_up{device=\"lab\",ifindex=\"1\",interface=\"lo\"}'=1")
                                .contains("'snmp_if_errors_per_second{"));
              });
    }
  }
}
