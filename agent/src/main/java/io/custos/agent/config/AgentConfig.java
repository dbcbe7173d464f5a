package io.custos.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.custos.agent.backup.BackupsConfig;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.CheckRegistry;
import io.custos.common.units.ByteSize;
import io.custos.common.wire.Report;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's configuration, {@code /etc/custos/agent.yml}. Every key is optional:
 *
 * <pre>{@code
 * node: web01                        # default: the host name
 * tags: [web]                        # default: none
 * collector:
 *   url: http://127.0.0.1:8480       # default
 *   token_file: /etc/custos/agent.token   # default: none, then CUSTOS_TOKEN is used
 *   # ca_file: /etc/custos/tls/ca.pem     # https: trust this CA instead of the system store
 *   # certificate: /etc/custos/tls/web01.pem   # https: client certificate, with its key
 *   # key: /etc/custos/tls/web01.key
 * interval: 30s                      # default
 * spool: { directory: /var/lib/custos/spool, max_size: 64MB }   # defaults
 * checks:                            # default: filesystem, load and memory with their defaults
 *   - { type: filesystem, warning: 80%, critical: 90% }
 *   - { type: load }
 *   - { type: memory }
 * backups:                           # default: no sets; see BackupsConfig and BackupSetConfig
 *   directory: /var/backups/custos
 *   sets: [ { name: etc, paths: [/etc] } ]
 * }</pre>
 *
 * Records validate at construction; read files with {@link AgentConfigLoader}, which reports an
 * unknown key or bad value as {@code file:line: key: problem}.
 *
 * @param node the node name sent in reports; default the host name (see {@link HostName})
 * @param tags host groups sent in reports
 * @param collector where reports go
 * @param interval time between check cycles, at least one second
 * @param spool where reports wait until the collector has them
 * @param checks what runs every cycle; an explicit empty list runs none (heartbeat only)
 * @param backups backup sets and where their archives go
 */
public record AgentConfig(
    @JsonDeserialize(using = NodeNameDeserializer.class) String node,
    List<String> tags,
    Collector collector,
    Duration interval,
    Spool spool,
    List<CheckConfig> checks,
    BackupsConfig backups) {

  public AgentConfig {
    node = Report.requireNodeName(node == null ? HostName.local() : node);
    tags = tags == null ? List.of() : List.copyOf(tags);
    for (String t : tags) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("tags: expected non-empty names");
      }
    }
    collector = collector == null ? Collector.defaults() : collector;
    interval = interval == null ? Duration.ofSeconds(30) : interval;
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("interval must be at least 1s, got " + interval);
    }
    spool = spool == null ? Spool.defaults() : spool;
    checks = checks == null ? CheckRegistry.defaults() : List.copyOf(checks);
    backups = backups == null ? BackupsConfig.defaults() : backups;
  }

  /** A configuration without backup sets. */
  public AgentConfig(
      String node,
      List<String> tags,
      Collector collector,
      Duration interval,
      Spool spool,
      List<CheckConfig> checks) {
    this(node, tags, collector, interval, spool, checks, null);
  }

  /** Every default: what {@code run} uses without a configuration file. */
  public static AgentConfig defaults() {
    return new AgentConfig(null, null, null, null, null, null);
  }

  /**
   * The {@code collector:} section.
   *
   * @param url base URL, http or https; default {@code http://127.0.0.1:8480}
   * @param tokenFile file holding the node's bearer token; when null, the {@code CUSTOS_TOKEN}
   *     environment variable is used
   * @param caFile PEM CA bundle the collector's certificate must chain to (an https url); when
   *     null, the system trust store is used
   * @param certificate PEM client certificate chain, for a collector that asks for one, or null
   * @param key PEM unencrypted PKCS#8 private key of {@code certificate}, or null
   */
  public record Collector(
      URI url,
      @JsonProperty("token_file") Path tokenFile,
      @JsonProperty("ca_file") Path caFile,
      Path certificate,
      Path key) {
    /** The collector a default install talks to. */
    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8480");

    public Collector {
      url = url == null ? DEFAULT_URL : url;
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            "url: expected http://host:port or https://host:port, got \"" + url + "\"");
      }
      if ((certificate == null) != (key == null)) {
        throw new IllegalArgumentException(
            "certificate and key: give both or neither, got only "
                + (certificate == null ? "key" : "certificate"));
      }
      if ((caFile != null || certificate != null) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException(
            "ca_file, certificate and key need an https url, got \"" + url + "\"");
      }
    }

    public Collector(URI url, Path tokenFile) {
      this(url, tokenFile, null, null, null);
    }

    /** Every default. */
    public static Collector defaults() {
      return new Collector(null, null);
    }
  }

  /**
   * The {@code spool:} section.
   *
   * @param directory where unsent reports and the sequence number are kept; default {@code
   *     /var/lib/custos/spool}
   * @param maxSize bound on the unsent reports; the oldest are dropped beyond it; default 64MB
   */
  public record Spool(Path directory, @JsonProperty("max_size") ByteSize maxSize) {
    /** The directory of a default install. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/lib/custos/spool");

    public Spool {
      directory = directory == null ? DEFAULT_DIRECTORY : directory;
      maxSize = maxSize == null ? ByteSize.parse("64MB") : maxSize;
      if (maxSize.bytes() < 64 * 1024) {
        throw new IllegalArgumentException(
            "max_size must be at least 64KB to hold one report, got " + maxSize);
      }
    }

    /** Every default. */
    public static Spool defaults() {
      return new Spool(null, null);
    }
  }
}
