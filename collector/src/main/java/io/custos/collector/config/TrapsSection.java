package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code snmp_traps:} — the collector receives SNMPv2c traps (SNMPv2-Trap-PDU, RFC 3416 §4.2.6) on
 * a UDP port; every trap is an event in the history of its host, and a trap a rule matches sets a
 * service's state through the normal state machine (so it alerts, dedups and recovers like any
 * service).
 *
 * <pre>{@code
 * snmp_traps:
 *   listen: "0.0.0.0:1162"                 # 162 needs root or CAP_NET_BIND_SERVICE
 *   community_file: /etc/custos/trap-community
 *   rules:
 *     - { oid: linkDown, service: Link traps, status: CRITICAL }
 *     - { oid: linkUp, service: Link traps, status: OK }
 *     - { oid: upsTrapOnBattery, host_from: "varbind:1.3.6.1.2.1.1.5.0", service: UPS, status: WARNING }
 * }</pre>
 *
 * @param listen {@code host:port} to receive on; default {@code 0.0.0.0:1162}
 * @param communityFile a file whose first line is the community traps must carry; others are
 *     dropped and counted
 * @param rules the first rule whose {@code oid} equals the trap's snmpTrapOID.0 applies
 */
public record TrapsSection(
    String listen, @JsonProperty("community_file") Path communityFile, List<Rule> rules) {

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
   *     value of that varbind, e.g. sysName.0 {@code 1.3.6.1.2.1.1.5.0}); the host must not be an
   *     agent's node name
   * @param host a fixed host name instead of {@code host_from}
   * @param service the service whose state the trap sets
   * @param status the state it sets
   */
  public record Rule(
      String oid,
      @JsonProperty("host_from") String hostFrom,
      String host,
      String service,
      Status status) {
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
      if (!hostFrom.equals("source")
          && !(hostFrom.startsWith("varbind:") && OID.matcher(hostFrom.substring(8)).matches())) {
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
    }
  }

  public TrapsSection {
    listen = listen == null ? "0.0.0.0:1162" : listen.strip();
    try {
      CollectorConfig.Listen.parse(listen);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("snmp_traps." + e.getMessage(), e);
    }
    if (communityFile == null) {
      throw new IllegalArgumentException(
          "snmp_traps.community_file: expected a file holding the community traps carry");
    }
    rules = rules == null ? List.of() : List.copyOf(rules);
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
