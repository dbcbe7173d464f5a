package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.common.config.ConfigException;
import io.custos.common.config.ConfigReader;
import io.custos.common.match.Globs;
import io.custos.common.units.ByteSize;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The collector's configuration, {@code /etc/custos/collector.yml}. Every key has a default, so an
 * empty or absent file is a working configuration:
 *
 * <pre>{@code
 * listen: 127.0.0.1:8480              # host:port; port 0 picks a free port
 * store: { sqlite: /var/lib/custos/collector.db }
 * # store: { postgresql: { url: "jdbc:postgresql://db1/custos", user: custos,
 * #          password_file: /etc/custos/pg.pass, pool_size: 4 } } # exactly one of the two
 * hosts: { absent_after: 3 }          # intervals without a report before a host is DOWN
 *                                     # parents: { "web*": [sw1] }, see HostsSection
 * defaults: { max_attempts: 3 }       # non-OK results in a row before a state is hard
 * http: { max_body: 8MB, max_connections: 1024, header_timeout: 10s }
 *                                     # largest request body (after decompression), connections
 *                                     # open at once, time allowed for a request's headers
 * # tls: { certificate: /etc/custos/tls/collector.pem, key: /etc/custos/tls/collector.key }
 *                                     # HTTPS on listen, see TlsSection
 * limits: { results_per_report: 10000, series_per_node: 100000, clock_skew: 1h }
 *                                     # what one node may send, see LimitsSection
 * dashboard_url: https://mon.example.net/   # optional, how operators reach this collector
 * history: { raw: 48h, 5m: 30d, 1h: 400d }   # how long each tier of metric history is kept
 * groups: { web: ["web*"], db: ["db??", "pg-*"] }   # host groups by name pattern (* and ?),
 *                                                  # besides the tags agents declare
 * servicegroups: { disks: { hosts: ["*"], services: ["Disk *"] } }   # services across hosts,
 *                                     # by host and service name pattern, see
 *                                     # ServiceGroupsSection
 * notify: { renotify: 2h, group_wait: 30s, email: { to: [root] } }   # see NotifySection
 * rules: []                           # central rules over metrics, see RuleSection
 * backups: { store: /var/lib/custos/backups, keep: { days: 30, min_full: 2 },
 *            max_object_size: 1TiB }  # nodes' uploaded archives, see BackupsSection
 * }</pre>
 *
 * <p>Values are validated at construction; a bad value is an {@link IllegalArgumentException}
 * naming the key, which {@link #load} turns into a {@link ConfigException} with file and line. A
 * relative {@code store.sqlite} path is resolved against the working directory.
 *
 * @param listen address to listen on, {@code host:port}
 * @param store where the data lives
 * @param hosts host liveness
 * @param defaults state machine defaults
 * @param http HTTP limits
 * @param dashboardUrl public URL of this collector, or null
 * @param history retention of metric history tiers
 * @param groups host groups: name to host-name glob patterns ({@code *} and {@code ?}), besides the
 *     agents' tags; serve both {@code group=} filters and group downtimes and rules; never null
 * @param notifications {@code notify:}, notification settings
 * @param rules central rules over metrics
 * @param tls HTTPS settings, or null for plain HTTP
 * @param limits what one node may send
 * @param backups the archive store
 * @param snmpTraps the SNMP v2c trap receiver ({@code snmp_traps:}, see {@link TrapsSection}), or
 *     null for none
 * @param servicegroups service groups by host and service name patterns ({@code servicegroups:},
 *     see {@link ServiceGroupsSection}), by name
 */
public record CollectorConfig(
    String listen,
    StoreSection store,
    HostsSection hosts,
    DefaultsSection defaults,
    HttpSection http,
    @JsonProperty("dashboard_url") String dashboardUrl,
    HistorySection history,
    Map<String, List<String>> groups,
    @JsonProperty("notify") NotifySection notifications,
    List<RuleSection> rules,
    TlsSection tls,
    LimitsSection limits,
    BackupsSection backups,
    @JsonProperty("snmp_traps") TrapsSection snmpTraps,
    Map<String, ServiceGroupsSection.Group> servicegroups) {

  /** Where {@code custos-collector} looks when no {@code --config} is given. */
  public static final Path DEFAULT_FILE = Path.of("/etc/custos/collector.yml");

  public static final String DEFAULT_LISTEN = "127.0.0.1:8480";

  public CollectorConfig {
    listen = listen == null ? DEFAULT_LISTEN : listen.strip();
    Listen.parse(listen);
    store = store == null ? new StoreSection(null, null) : store;
    hosts = hosts == null ? new HostsSection(null) : hosts;
    defaults = defaults == null ? new DefaultsSection(null) : defaults;
    http = http == null ? new HttpSection(null) : http;
    history = history == null ? HistorySection.DEFAULT : history;
    groups = GroupsSection.validate(groups);
    servicegroups = ServiceGroupsSection.validate(servicegroups);
    notifications = notifications == null ? NotifySection.ofDefaults() : notifications;
    rules = rules == null ? List.of() : List.copyOf(rules);
    limits = limits == null ? LimitsSection.ofDefaults() : limits;
    backups = backups == null ? BackupsSection.ofDefaults() : backups;
    defaults = defaults.withTrapServices(snmpTraps);
    if (tls != null) {
      tls.requireReadable(); // the files must be there now, not at the first connection
    }
    if (dashboardUrl != null) {
      URI uri;
      try {
        uri = URI.create(dashboardUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "dashboard_url: expected an http(s) URL, got \"" + dashboardUrl + "\"");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            "dashboard_url: expected an http(s) URL, got \"" + dashboardUrl + "\"");
      }
    }
  }

  /** All defaults, as with no configuration file. */
  public static CollectorConfig ofDefaults() {
    return new CollectorConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Reads and validates {@code file} completely.
   *
   * @throws ConfigException naming file, line, key and value of the first problem
   */
  public static CollectorConfig load(Path file) throws ConfigException {
    return new ConfigReader().read(file, CollectorConfig.class);
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public static CollectorConfig parse(String yaml, String source) throws ConfigException {
    return new ConfigReader().read(yaml, source, CollectorConfig.class);
  }

  /** This configuration listening on {@code hostPort} instead. */
  public CollectorConfig withListen(String hostPort) {
    return new CollectorConfig(
        hostPort,
        store,
        hosts,
        defaults,
        http,
        dashboardUrl,
        history,
        groups,
        notifications,
        rules,
        tls,
        limits,
        backups,
        snmpTraps,
        servicegroups);
  }

  /** This configuration with the SQLite store at {@code file}. */
  public CollectorConfig withSqlite(Path file) {
    return new CollectorConfig(
        listen,
        new StoreSection(file.toString(), null),
        hosts,
        defaults,
        http,
        dashboardUrl,
        history,
        groups,
        notifications,
        rules,
        tls,
        limits,
        backups,
        snmpTraps,
        servicegroups);
  }

  /** This configuration with {@code notify:} replaced. */
  public CollectorConfig withNotify(NotifySection n) {
    return new CollectorConfig(
        listen,
        store,
        hosts,
        defaults,
        http,
        dashboardUrl,
        history,
        groups,
        n,
        rules,
        tls,
        limits,
        backups,
        snmpTraps,
        servicegroups);
  }

  /** This configuration with {@code snmp_traps:} replaced. */
  public CollectorConfig withSnmpTraps(TrapsSection traps) {
    return new CollectorConfig(
        listen,
        store,
        hosts,
        defaults,
        http,
        dashboardUrl,
        history,
        groups,
        notifications,
        rules,
        tls,
        limits,
        backups,
        traps,
        servicegroups);
  }

  /** This configuration with {@code backups:} replaced. */
  public CollectorConfig withBackups(BackupsSection b) {
    return new CollectorConfig(
        listen,
        store,
        hosts,
        defaults,
        http,
        dashboardUrl,
        history,
        groups,
        notifications,
        rules,
        tls,
        limits,
        b,
        snmpTraps,
        servicegroups);
  }

  /**
   * The archive store directory: {@code backups.store}, else {@code backups} beside the SQLite file
   * (so {@code /var/lib/custos/backups} by default), else {@link BackupsSection#DEFAULT_STORE}.
   */
  public Path archiveStore() {
    if (backups.store() != null) {
      return Path.of(backups.store());
    }
    Path db = store.sqlitePath();
    return db == null
        ? BackupsSection.DEFAULT_STORE
        : db.toAbsolutePath().resolveSibling("backups");
  }

  /** The host part of {@link #listen()}, without brackets for IPv6. */
  public String listenHost() {
    return Listen.parse(listen).host();
  }

  /** The port part of {@link #listen()}; 0 means any free port. */
  public int listenPort() {
    return Listen.parse(listen).port();
  }

  /**
   * {@code store:} — exactly one backend: {@code sqlite} (the default) or {@code postgresql}.
   *
   * @param sqlite path of the SQLite database file; null when PostgreSQL is used
   * @param postgresql the PostgreSQL server, or null
   */
  public record StoreSection(String sqlite, PostgresSection postgresql) {
    public static final String DEFAULT_SQLITE = "/var/lib/custos/collector.db";

    public StoreSection {
      if (sqlite != null && postgresql != null) {
        throw new IllegalArgumentException(
            "store: give exactly one of sqlite and postgresql, got both");
      }
      if (sqlite == null && postgresql == null) {
        sqlite = DEFAULT_SQLITE;
      } else if (sqlite != null && sqlite.isBlank()) {
        throw new IllegalArgumentException("sqlite: expected a file path, got an empty string");
      }
    }

    /** The database file as a path; null when PostgreSQL is configured. */
    public Path sqlitePath() {
      return sqlite == null ? null : Path.of(sqlite);
    }
  }

  /**
   * {@code store.postgresql:}.
   *
   * @param url JDBC URL, {@code jdbc:postgresql://host[:port]/database}
   * @param user user name, or null for the driver's default
   * @param passwordFile file whose first line is the password, or null for none
   * @param poolSize connections this collector keeps open to the server, 1 to 100; default 4
   */
  public record PostgresSection(
      String url,
      String user,
      @JsonProperty("password_file") String passwordFile,
      @JsonProperty("pool_size") Integer poolSize) {
    public static final int DEFAULT_POOL_SIZE = 4;

    public PostgresSection {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "url: expected jdbc:postgresql://host/database, got "
                + (url == null ? "nothing" : "\"" + url + "\""));
      }
      if (poolSize == null) {
        poolSize = DEFAULT_POOL_SIZE;
      } else if (poolSize < 1 || poolSize > 100) {
        throw new IllegalArgumentException(
            "pool_size: expected 1 to 100 connections, got " + poolSize);
      }
    }

    /** The password from {@link #passwordFile()}, first line, or null when none is configured. */
    public String readPassword() {
      if (passwordFile == null) {
        return null;
      }
      try {
        String text = Files.readString(Path.of(passwordFile));
        int nl = text.indexOf('\n');
        return nl < 0 ? text.strip() : text.substring(0, nl).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "password_file: cannot read " + passwordFile + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * {@code history:} — how long each tier of metric history is kept. Each coarser tier must be kept
   * at least as long as the finer one, or a query would find a gap. This record is the one home of
   * those rules; the store's {@code HistoryRetention} is built from it.
   *
   * @param raw every sample, default 48h, at least 1h
   * @param fiveMinutes 5-minute min/avg/max, default 30d, at least {@code raw}
   * @param oneHour 1-hour min/avg/max, default 400d, at least {@code fiveMinutes}
   */
  public record HistorySection(
      Duration raw,
      @JsonProperty("5m") Duration fiveMinutes,
      @JsonProperty("1h") Duration oneHour) {
    /** The tiers kept when {@code history:} is left out. */
    public static final HistorySection DEFAULT = new HistorySection(null, null, null);

    public HistorySection {
      raw = raw == null ? Duration.ofHours(48) : raw;
      fiveMinutes = fiveMinutes == null ? Duration.ofDays(30) : fiveMinutes;
      oneHour = oneHour == null ? Duration.ofDays(400) : oneHour;
      if (raw.compareTo(Duration.ofHours(1)) < 0) {
        throw new IllegalArgumentException("raw: must be at least 1h, got " + raw);
      }
      if (fiveMinutes.compareTo(raw) < 0) {
        throw new IllegalArgumentException(
            "5m: must be at least as long as raw (" + raw + "), got " + fiveMinutes);
      }
      if (oneHour.compareTo(fiveMinutes) < 0) {
        throw new IllegalArgumentException(
            "1h: must be at least as long as 5m (" + fiveMinutes + "), got " + oneHour);
      }
    }
  }

  /**
   * {@code hosts:}.
   *
   * <pre>{@code
   * hosts:
   *   absent_after: 3
   *   parents: { "web*": [sw1], "sw1": [core1] }   # host-name pattern (* and ?) to parent hosts
   *   notify_unreachable: false
   * }</pre>
   *
   * @param absentAfter how many of its own report intervals a host may stay silent before it is
   *     DOWN, at least 1
   * @param parents host-name patterns ({@code *} and {@code ?}, as in {@code groups:}) to the names
   *     of the hosts they sit behind (a gateway, switch host or hypervisor): a silent host whose
   *     parents are all DOWN or UNREACHABLE is UNREACHABLE, not DOWN (the Nagios "Network Outages"
   *     model). A host matching several patterns has the parents of all of them. Never null.
   * @param notifyUnreachable whether an UNREACHABLE host notifies (default false, as Icinga 2's
   *     dependencies with {@code disable_notifications})
   */
  public record HostsSection(
      @JsonProperty("absent_after") Integer absentAfter,
      Map<String, List<String>> parents,
      @JsonProperty("notify_unreachable") Boolean notifyUnreachable) {
    public HostsSection {
      absentAfter = absentAfter == null ? 3 : absentAfter;
      if (absentAfter < 1) {
        throw new IllegalArgumentException("absent_after: must be at least 1, got " + absentAfter);
      }
      parents = ParentsSection.validate(parents);
      notifyUnreachable = notifyUnreachable != null && notifyUnreachable;
    }

    /** Defaults: 3 intervals, no parents, UNREACHABLE hosts do not notify. */
    public HostsSection(Integer absentAfter) {
      this(absentAfter, null, null);
    }
  }

  /**
   * {@code defaults:}.
   *
   * @param maxAttempts non-OK results in a row before a problem is hard, at least 1
   * @param maxAttemptsFor per-service overrides: service-name glob to max attempts, such as {@code
   *     { "Load": 5, "Filesystem *": 2 }}; the first matching entry wins
   */
  public record DefaultsSection(
      @JsonProperty("max_attempts") Integer maxAttempts,
      @JsonProperty("max_attempts_for") Map<String, Integer> maxAttemptsFor) {
    public DefaultsSection {
      maxAttempts = maxAttempts == null ? 3 : maxAttempts;
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max_attempts: must be at least 1, got " + maxAttempts);
      }
      maxAttemptsFor =
          maxAttemptsFor == null ? Map.of() : new java.util.LinkedHashMap<>(maxAttemptsFor);
      for (Map.Entry<String, Integer> e : maxAttemptsFor.entrySet()) {
        if (e.getValue() == null || e.getValue() < 1) {
          throw new IllegalArgumentException(
              "max_attempts_for: \"" + e.getKey() + "\" must be at least 1, got " + e.getValue());
        }
      }
      maxAttemptsFor = java.util.Collections.unmodifiableMap(maxAttemptsFor);
    }

    public DefaultsSection(Integer maxAttempts) {
      this(maxAttempts, null);
    }

    /**
     * These defaults with every service an SNMP trap rule sets hard at its first trap (max attempts
     * 1, as Nagios users give passive trap services): a trap is one event, not a check that is
     * repeated, so waiting for three in a row would hide it. An operator's own {@code
     * max_attempts_for} entry that matches the service comes first and wins.
     */
    DefaultsSection withTrapServices(TrapsSection traps) {
      if (traps == null || traps.rules() == null) {
        return this;
      }
      Map<String, Integer> m = new java.util.LinkedHashMap<>(maxAttemptsFor);
      for (TrapsSection.Rule r : traps.rules()) {
        boolean covered = false;
        for (String glob : maxAttemptsFor.keySet()) {
          covered |= Globs.matches(glob, r.serviceFor("1"));
        }
        if (!covered) {
          m.putIfAbsent(r.serviceGlob(), 1);
        }
      }
      return m.equals(maxAttemptsFor) ? this : new DefaultsSection(maxAttempts, m);
    }

    /** Max attempts for {@code service}: its override, else the default. */
    public int maxAttemptsOf(String service) {
      for (Map.Entry<String, Integer> e : maxAttemptsFor.entrySet()) {
        if (Globs.matches(e.getKey(), service)) {
          return e.getValue();
        }
      }
      return maxAttempts;
    }
  }

  /**
   * {@code http:}.
   *
   * @param maxBody largest request body accepted, measured after gzip decompression; 1KB to 1GB
   * @param maxConnections connections open at once; more are answered 503 and closed; default 1024
   * @param headerTimeout time from a connection's accept (or a kept-alive connection's next
   *     request's first byte) to the end of its headers before the connection is answered 408 and
   *     closed; default 10s
   * @param maxConnectionsPerAddress connections open at once from one IPv4 address or IPv6 /64;
   *     default a quarter of {@code max_connections}
   * @param reservedConnections places of {@code max_connections} kept for clients with a valid
   *     token; default an eighth of {@code max_connections}
   * @param bodyMinRate least average request body rate after {@code header_timeout} of grace, per
   *     second; 0 for none; default 500B
   * @param shedQueue requests waiting for a worker at which new ones are answered 503 on their
   *     headers; default 256
   * @param maxQueueWait longest a request waits for a worker before it is answered 503 instead of
   *     run; default 10s (the agent gives up after 15s)
   */
  public record HttpSection(
      @JsonProperty("max_body") ByteSize maxBody,
      @JsonProperty("max_connections") Integer maxConnections,
      @JsonProperty("header_timeout") Duration headerTimeout,
      @JsonProperty("max_connections_per_address") Integer maxConnectionsPerAddress,
      @JsonProperty("reserved_connections") Integer reservedConnections,
      @JsonProperty("body_min_rate") ByteSize bodyMinRate,
      @JsonProperty("shed_queue") Integer shedQueue,
      @JsonProperty("max_queue_wait") Duration maxQueueWait) {
    /** Requests that may wait for a worker at all. */
    public static final int MAX_QUEUE = 512;

    public static final long DEFAULT_BODY_MIN_RATE = 500;
    public static final int DEFAULT_SHED_QUEUE = 256;
    public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(10);

    /** The default share of one address: a quarter of the connections. */
    public static int defaultPerAddress(int maxConnections) {
      return Math.max(1, maxConnections / 4);
    }

    /** The default reserve for token holders: an eighth of the connections. */
    public static int defaultReserve(int maxConnections) {
      return maxConnections / 8;
    }

    public HttpSection {
      maxBody = maxBody == null ? ByteSize.parse("8MB") : maxBody;
      if (maxBody.bytes() < 1024 || maxBody.bytes() > (1L << 30)) {
        throw new IllegalArgumentException(
            "max_body: expected between 1KB and 1GB, got " + maxBody);
      }
      maxConnections = maxConnections == null ? 1024 : maxConnections;
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "max_connections: must be at least 1, got " + maxConnections);
      }
      headerTimeout = headerTimeout == null ? Duration.ofSeconds(10) : headerTimeout;
      if (headerTimeout.toMillis() < 100) {
        throw new IllegalArgumentException(
            "header_timeout: must be at least 100ms, got " + headerTimeout);
      }
      maxConnectionsPerAddress =
          maxConnectionsPerAddress == null
              ? defaultPerAddress(maxConnections)
              : maxConnectionsPerAddress;
      if (maxConnectionsPerAddress < 1) {
        throw new IllegalArgumentException(
            "max_connections_per_address: must be at least 1, got " + maxConnectionsPerAddress);
      }
      reservedConnections =
          reservedConnections == null ? defaultReserve(maxConnections) : reservedConnections;
      if (reservedConnections < 0 || reservedConnections >= maxConnections) {
        throw new IllegalArgumentException(
            "reserved_connections: expected from 0 to max_connections - 1 ("
                + (maxConnections - 1)
                + "), got "
                + reservedConnections);
      }
      bodyMinRate = bodyMinRate == null ? ByteSize.of(DEFAULT_BODY_MIN_RATE) : bodyMinRate;
      shedQueue = shedQueue == null ? DEFAULT_SHED_QUEUE : shedQueue;
      if (shedQueue < 1 || shedQueue > MAX_QUEUE) {
        throw new IllegalArgumentException(
            "shed_queue: expected from 1 to " + MAX_QUEUE + ", got " + shedQueue);
      }
      maxQueueWait = maxQueueWait == null ? DEFAULT_MAX_QUEUE_WAIT : maxQueueWait;
      if (maxQueueWait.toMillis() < 100) {
        throw new IllegalArgumentException(
            "max_queue_wait: must be at least 100ms, got " + maxQueueWait);
      }
    }

    public HttpSection(ByteSize maxBody) {
      this(maxBody, null, null, null, null, null, null, null);
    }

    /** {@link #maxBody()} in bytes, as an int (it is at most 1 GiB). */
    public int maxBodyBytes() {
      return (int) maxBody.bytes();
    }
  }

  /** A parsed {@code host:port}. */
  record Listen(String host, int port) {
    static Listen parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException(
            "listen: expected host:port such as 127.0.0.1:8480, got \"" + text + "\"");
      }
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "listen: write IPv6 addresses in brackets, e.g. [::1]:8480, got \"" + text + "\"");
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535 || host.isBlank()) {
        throw new IllegalArgumentException(
            "listen: expected host:port with a port from 0 to 65535, got \"" + text + "\"");
      }
      return new Listen(host, port);
    }
  }
}
