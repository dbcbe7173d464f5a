package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code snmp_traps:} — the collector receives SNMP traps (SNMPv2-Trap-PDU, RFC 3416 §4.2.6; v2c
 * with a community, or v3 with USM users, RFC 3414) on a UDP port; every accepted trap is an event
 * in the history of its host, and a trap a rule matches sets a service's state through the normal
 * state machine (so it alerts, dedups and recovers like any service).
 *
 * <pre>{@code
 * snmp_traps:
 *   listen: "0.0.0.0:1162"                 # 162 needs root or CAP_NET_BIND_SERVICE
 *   sources: [10.0.0.0/24, 192.0.2.7]      # traps from elsewhere are dropped; none: all are
 *   community_file: /etc/custos/trap-community
 *   users:                                 # SNMPv3 USM (authNoPriv or authPriv)
 *     - { name: traps, auth: SHA-256, auth_pass_file: /etc/custos/trap-auth,
 *         priv: AES, priv_pass_file: /etc/custos/trap-priv }
 *   max_hosts: 1000                        # trap-made hosts; traps naming more are dropped
 *   rules:
 *     - { oid: linkDown, service: Link, key_from: "varbind:1.3.6.1.2.1.2.2.1.1", status: CRITICAL }
 *     - { oid: linkUp, service: Link, key_from: "varbind:1.3.6.1.2.1.2.2.1.1", status: OK }
 *     - { oid: upsTrapOnBattery, host_from: "varbind:1.3.6.1.2.1.1.5.0", service: UPS,
 *         status: WARNING, clear_after: 30m, from: [10.0.0.40] }
 * }</pre>
 *
 * @param listen {@code host:port} to receive on; default {@code 0.0.0.0:1162}
 * @param sources the addresses and CIDR networks traps are accepted from; none (absent or empty):
 *     every trap is dropped
 * @param communityFile a file whose first line is the v2c community traps must carry; others are
 *     dropped and counted; without it v2c traps are dropped
 * @param users SNMPv3 USM users v3 traps may come from; at least one of these or a community
 * @param maxHosts how many hosts traps may create; a trap naming a further host is dropped and
 *     counted; default 1000
 * @param rules the first rule whose {@code oid} equals the trap's snmpTrapOID.0 (and whose {@code
 *     from}, if any, holds the sender) applies
 */
public record TrapsSection(
    String listen,
    List<String> sources,
    @JsonProperty("community_file") Path communityFile,
    List<User> users,
    @JsonProperty("max_hosts") Integer maxHosts,
    List<Rule> rules) {

  /** Default of {@code max_hosts}. */
  public static final int DEFAULT_MAX_HOSTS = 1000;

  /**
   * One SNMPv3 USM user (RFC 3414; SHA-2 protocols RFC 7860, AES RFC 3826). Traps without
   * authentication are refused: they would be as forgeable as a community.
   *
   * @param name the USM user name (securityName)
   * @param auth MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512
   * @param authPassFile a file whose first line is the authentication passphrase (8 characters or
   *     more)
   * @param priv null (authNoPriv), DES, AES (AES-128), AES-192 or AES-256
   * @param privPassFile the privacy passphrase's file, required with {@code priv}
   */
  public record User(
      String name,
      String auth,
      @JsonProperty("auth_pass_file") Path authPassFile,
      String priv,
      @JsonProperty("priv_pass_file") Path privPassFile) {
    public static final List<String> AUTH =
        List.of("MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512");
    public static final List<String> PRIV = List.of("DES", "AES", "AES-128", "AES-192", "AES-256");

    public User {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("users[].name: expected the USM user name");
      }
      auth = auth == null ? null : auth.strip().toUpperCase(Locale.ROOT);
      if (auth == null || !AUTH.contains(auth)) {
        throw new IllegalArgumentException(
            "users[\""
                + name
                + "\"].auth: expected one of "
                + String.join(", ", AUTH)
                + " (traps without authentication are refused), got "
                + (auth == null ? "nothing" : "\"" + auth + "\""));
      }
      if (authPassFile == null) {
        throw new IllegalArgumentException(
            "users[\"" + name + "\"].auth_pass_file: expected the passphrase's file");
      }
      priv = priv == null ? null : priv.strip().toUpperCase(Locale.ROOT);
      if (priv != null && !PRIV.contains(priv)) {
        throw new IllegalArgumentException(
            "users[\""
                + name
                + "\"].priv: expected one of "
                + String.join(", ", PRIV)
                + ", got \""
                + priv
                + "\"");
      }
      if (priv != null && privPassFile == null) {
        throw new IllegalArgumentException(
            "users[\"" + name + "\"].priv_pass_file: expected the passphrase's file with priv");
      }
    }
  }

  /**
   * Standard notification OIDs by name: SNMPv2-MIB (RFC 3418), IF-MIB (RFC 2863), UPS-MIB (RFC
   * 1628).
   */
  public static final Map<String, String> NAMES =
      Map.of(
          "coldStart", "1.3.6.1.6.3.1.1.5.1",
          "warmStart", "1.3.6.1.6.3.1.1.5.2",
          "linkDown", "1.3.6.1.6.3.1.1.5.3",
          "linkUp", "1.3.6.1.6.3.1.1.5.4",
          "authenticationFailure", "1.3.6.1.6.3.1.1.5.5",
          "upsTrapOnBattery", "1.3.6.1.2.1.33.2.1",
          "upsTrapTestCompleted", "1.3.6.1.2.1.33.2.2",
          "upsTrapAlarmEntryAdded", "1.3.6.1.2.1.33.2.3",
          "upsTrapAlarmEntryRemoved", "1.3.6.1.2.1.33.2.4");

  private static final Pattern OID = Pattern.compile("\\d+(\\.\\d+)+");

  /**
   * One rule.
   *
   * @param oid the trap's snmpTrapOID.0: numeric, or a name of {@link #NAMES}
   * @param hostFrom {@code source} (default: the sender's address) or {@code varbind:<oid>} (the
   *     value of that varbind, e.g. sysName.0 {@code 1.3.6.1.2.1.1.5.0}); a host that is an agent's
   *     node is refused
   * @param host a fixed host name instead of {@code host_from}
   * @param service the service whose state the trap sets; with {@code key_from}, {@code {key}} in
   *     it is replaced by the key, or the key is appended after a blank
   * @param status the state it sets
   * @param from the addresses and networks this rule applies to; null: every accepted source
   * @param keyFrom {@code varbind:<oid prefix>}: the value of the first varbind whose OID starts
   *     with the prefix keys the service (ifIndex {@code 1.3.6.1.2.1.2.2.1.1}: one service per
   *     port); null: one service per rule
   * @param clearAfter the service returns to OK when no trap of this rule came for this long; null:
   *     only a trap clears it
   */
  public record Rule(
      String oid,
      @JsonProperty("host_from") String hostFrom,
      String host,
      String service,
      Status status,
      List<String> from,
      @JsonProperty("key_from") String keyFrom,
      @JsonProperty("clear_after") Duration clearAfter) {
    public Rule {
      if (oid == null || oid.isBlank()) {
        throw new IllegalArgumentException("rules[].oid: expected a trap OID or name");
      }
      oid = NAMES.getOrDefault(oid.strip(), oid.strip());
      if (oid.startsWith(".")) {
        oid = oid.substring(1);
      }
      if (!OID.matcher(oid).matches()) {
        throw new IllegalArgumentException(
            "rules[].oid: expected a numeric OID or one of "
                + String.join(", ", new java.util.TreeSet<>(NAMES.keySet()))
                + ", got \""
                + oid
                + "\"");
      }
      hostFrom = hostFrom == null ? "source" : hostFrom.strip().toLowerCase(Locale.ROOT);
      if (!hostFrom.equals("source") && varbind(hostFrom) == null) {
        throw new IllegalArgumentException(
            "rules[].host_from: expected source or varbind:<numeric OID>, got \""
                + hostFrom
                + "\"");
      }
      if (service == null || service.isBlank()) {
        throw new IllegalArgumentException("rules[].service: expected the service name to set");
      }
      if (status == null) {
        throw new IllegalArgumentException(
            "rules[].status: expected OK, WARNING, CRITICAL or UNKNOWN");
      }
      if (from != null) {
        from = List.copyOf(from);
        for (String f : from) {
          try {
            SourceNetwork.parse(f);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rules[].from: " + e.getMessage(), e);
          }
        }
      }
      if (keyFrom != null) {
        keyFrom = keyFrom.strip().toLowerCase(Locale.ROOT);
        if (varbind(keyFrom) == null) {
          throw new IllegalArgumentException(
              "rules[].key_from: expected varbind:<numeric OID prefix>, got \"" + keyFrom + "\"");
        }
      }
      if (clearAfter != null && clearAfter.toSeconds() < 1) {
        throw new IllegalArgumentException(
            "rules[].clear_after: expected at least 1s, got " + clearAfter);
      }
    }

    /** Rule without sources, key or clearing (the form before they existed). */
    public Rule(String oid, String hostFrom, String host, String service, Status status) {
      this(oid, hostFrom, host, service, status, null, null, null);
    }

    /** The OID of {@code key_from}, or null. */
    public String keyOid() {
      return keyFrom == null ? null : varbind(keyFrom);
    }

    /** The service for {@code key} (null: the trap had no key varbind). */
    public String serviceFor(String key) {
      if (keyFrom == null || key == null) {
        return service;
      }
      return service.contains("{key}") ? service.replace("{key}", key) : service + " " + key;
    }

    /** A {@link Globs} pattern matching every service this rule can set. */
    public String serviceGlob() {
      return keyFrom == null ? service : serviceFor("*");
    }

    /** Whether this rule applies to traps from {@code sender}. */
    public boolean appliesTo(java.net.InetAddress sender) {
      return from == null
          || from.stream().map(SourceNetwork::parse).anyMatch(n -> n.contains(sender));
    }

    private static String varbind(String spec) {
      if (!spec.startsWith("varbind:")) {
        return null;
      }
      String o = spec.substring(8);
      o = o.startsWith(".") ? o.substring(1) : o;
      return OID.matcher(o).matches() ? o : null;
    }
  }

  public TrapsSection {
    listen = listen == null ? "0.0.0.0:1162" : listen.strip();
    try {
      CollectorConfig.Listen.parse(listen);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("snmp_traps." + e.getMessage(), e);
    }
    // Without sources every trap is dropped (and the receiver says so at start): refusing the
    // whole configuration would stop the collector, and all monitoring, at an upgrade.
    sources = sources == null ? List.of() : sources;
    sources = List.copyOf(sources);
    for (String src : sources) {
      try {
        SourceNetwork.parse(src);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("snmp_traps.sources: " + e.getMessage(), e);
      }
    }
    users = users == null ? List.of() : List.copyOf(users);
    if (communityFile == null && users.isEmpty()) {
      throw new IllegalArgumentException(
          "snmp_traps.community_file: expected a file holding the community v2c traps carry, or"
              + " snmp_traps.users for SNMPv3");
    }
    maxHosts = maxHosts == null ? DEFAULT_MAX_HOSTS : maxHosts;
    if (maxHosts < 1) {
      throw new IllegalArgumentException(
          "snmp_traps.max_hosts: must be at least 1, got " + maxHosts);
    }
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** The parsed {@link #sources}. */
  public List<SourceNetwork> networks() {
    return sources.stream().map(SourceNetwork::parse).toList();
  }

  /** The host part of {@code listen}. */
  public String listenHost() {
    return CollectorConfig.Listen.parse(listen).host();
  }

  /** The port part of {@code listen}; 0 means any free port. */
  public int listenPort() {
    return CollectorConfig.Listen.parse(listen).port();
  }
}
