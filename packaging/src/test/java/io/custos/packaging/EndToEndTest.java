package io.custos.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.Agent;
import io.custos.agent.check.CheckRegistry;
import io.custos.agent.config.AgentConfig;
import io.custos.agent.ship.HttpReportSender;
import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.units.ByteSize;
import io.custos.common.wire.Report;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end, in one JVM but over real loopback HTTP and a real SQLite file:
 * an agent running its real checks against this machine reports to a collector; the collector goes
 * away, the agent spools, the collector comes back on the same store, and every report is stored
 * exactly once.
 */
class EndToEndTest {
  private static final String NODE = "e2e-node";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void agentReportsThisMachineAndSpooledReportsArriveExactlyOnceAfterAnOutage() throws Exception {
    Path db = dir.resolve("data/collector.db");
    CollectorConfig config =
        CollectorConfig.parse("listen: 127.0.0.1:0\nstore: { sqlite: " + db + " }\n", "test.yml");
    Collector collector = start(config);
    int port = collector.port();
    String nodeToken = collector.createToken(NODE);
    String operatorToken = collector.createRoleToken("operator");

    AgentConfig agentConfig =
        new AgentConfig(
            NODE,
            List.of("e2e"),
            new AgentConfig.Collector(URI.create("http://127.0.0.1:" + port), null),
            Duration.ofSeconds(30),
            new AgentConfig.Spool(dir.resolve("spool"), ByteSize.parse("1MB")),
            CheckRegistry.defaults());
    Agent agent =
        new Agent(
            agentConfig,
            Clock.systemUTC(),
            Path.of("/"),
            new HttpReportSender(agentConfig.collector().url(), nodeToken, "custos-agent/e2e"));
    open.add(agent);
    List<Report> sent = new ArrayList<>();

    sent.add(agent.cycle());
    assertThat(agent.spooled()).isZero();
    String table = get(port, "/api/v1/services?format=text", operatorToken);
    assertThat(table.lines().findFirst().orElseThrow())
        .contains(
            "Host", "Service", "Status", "Duration", "Attempt", "Last Check", "Status Information");
    assertThat(table)
        .contains(NODE)
        .contains("Filesystem /")
        .contains("DISK ")
        .contains("Load")
        .contains("Memory")
        .contains("Host Alive");

    collector.close();
    for (int i = 0; i < 3; i++) {
      sent.add(agent.cycle());
    }
    assertThat(agent.spooled()).as("reports kept while the collector is away").isEqualTo(3);

    start(config.withListen("127.0.0.1:" + port));
    sent.add(agent.cycle());
    assertThat(agent.spooled()).as("spool drained once the collector is back").isZero();

    TreeSet<Long> sentSeqs = new TreeSet<>();
    sent.forEach(r -> sentSeqs.add(r.seq()));
    assertThat(sentSeqs).hasSize(5);
    assertThat(storedSeqs(db)).containsExactlyElementsOf(sentSeqs);
    assertThat(get(port, "/api/v1/hosts?format=text", operatorToken)).contains(NODE).contains("UP");
  }

  private Collector start(CollectorConfig config) {
    Collector c = Collector.start(config, Clock.systemUTC());
    open.add(c);
    return c;
  }

  private String get(int port, String path, String token) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }

  /** Every (node, seq) row, read straight from the SQLite file: duplicates would show here. */
  private static List<Long> storedSeqs(Path db) throws Exception {
    List<Long> seqs = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement s =
            c.prepareStatement("SELECT seq FROM reports WHERE node = ? ORDER BY seq")) {
      s.setString(1, NODE);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
        }
      }
    }
    return seqs;
  }
}
