package io.custos.collector.traps;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.config.SourceNetwork;
import io.custos.collector.config.TrapsSection;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.ServiceRecord;
import io.custos.collector.store.Store;
import io.custos.common.match.Globs;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Receives SNMP traps (SNMPv2-Trap-PDU, RFC 3416 §4.2.6; varbinds sysUpTime.0, snmpTrapOID.0, then
 * the trap's objects, RFC 3418) with snmp4j on a UDP port: v2c with a community, v3 with the USM
 * users configured (RFC 3414, authNoPriv or authPriv; the sender's engine ID is learnt from its
 * first trap, as Net-SNMP's snmptrapd does with {@code createUser -e}).
 *
 * <p>A trap is accepted only from a configured source ({@code sources}, then a rule's {@code from})
 * with the right community or an authenticated USM user. Every accepted trap is an event ({@code
 * alert} kind) in the history of its host: {@code SNMP trap linkDown (1.3.6.1.6.3.1.1.5.3) from
 * 10.0.0.2: 1.3.6.1.2.1.2.2.1.1.3=3, ...}, under the service of the rule that matched, else {@code
 * SNMP traps}. A trap a rule matches is also a check result for (host, service) with the rule's
 * status, ingested like an agent's report, so the state machine alerts, dedups and recovers it like
 * any service; with {@code key_from} the service is one per key (one per port), and with {@code
 * clear_after} it returns to OK when no trap of the rule came for that long.
 *
 * <p>A trap is never an agent: its host must not be an agent's node (one with a node token or an
 * agent's reports); such a trap is refused, counted and logged once per host, as the docs have
 * always required. Trap hosts carry {@link HostRecord#TRAP_AGENT}, the receive time as {@code seq}
 * and an interval of a year, so silence never makes them DOWN; at most {@code max_hosts} exist.
 *
 * <p>Failure behaviour: a refused trap is dropped and counted ({@link #dropped()}), logged once per
 * source address and reason; a trap that cannot be stored is logged and the receiver goes on with
 * the next.
 */
public final class TrapReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrapReceiver.class);
  static final OID SNMP_TRAP_OID = SnmpConstants.snmpTrapOID;
  static final int YEAR_S = 365 * 24 * 3600;
  static final int MAX_KEY = 64;

  private final TrapsSection config;
  private final List<SourceNetwork> sources;
  private final AlertEngine engine;
  private final Store store;
  private final Clock clock;
  private final byte[] community;
  private final Set<String> users;
  private final Snmp snmp;
  private final DefaultUdpTransportMapping transport;
  private final TrapHosts hosts;
  private final ScheduledExecutorService clearer;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  // report sequence numbers: the receive time, but strictly increasing (two traps in one ms)
  private final AtomicLong seq = new AtomicLong();
  private final Set<String> logged = ConcurrentHashMap.newKeySet();
  // host \0 service -> when it clears, for services of rules with clear_after that are not OK
  private final Map<String, Long> clearAt = new HashMap<>();

  private TrapReceiver(
      TrapsSection config, AlertEngine engine, Store store, Clock clock, byte[] community)
      throws IOException {
    this.config = config;
    this.sources = config.networks();
    this.engine = engine;
    this.store = store;
    this.clock = clock;
    this.community = community;
    this.users = new java.util.HashSet<>();
    this.hosts = new TrapHosts(store, clock, config.maxHosts());
    this.transport =
        new DefaultUdpTransportMapping(
            new UdpAddress(config.listenHost() + "/" + config.listenPort()));
    MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    dispatcher.addMessageProcessingModel(new MPv2c());
    if (!config.users().isEmpty()) {
      SecurityProtocols protocols =
          new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility);
      USM usm = new USM(protocols, new OctetString(MPv3.createLocalEngineID()), 0);
      for (TrapsSection.User u : config.users()) {
        usm.addUser(
            new UsmUser(
                new OctetString(u.name()),
                authOid(u.auth()),
                new OctetString(firstLine(u.authPassFile(), "users[].auth_pass_file")),
                u.priv() == null ? null : privOid(u.priv()),
                u.priv() == null
                    ? null
                    : new OctetString(firstLine(u.privPassFile(), "users[].priv_pass_file")),
                null,
                UsmUser.LocalizationGrant.incoming));
        users.add(u.name());
      }
      dispatcher.addMessageProcessingModel(new MPv3(usm));
    }
    this.snmp = new Snmp(dispatcher, transport);
    CommandResponder responder = this::onPdu;
    snmp.addCommandResponder(responder);
    restoreClearing();
    snmp.listen();
    this.clearer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "trap-clear_after");
              t.setDaemon(true);
              return t;
            });
    clearer.scheduleWithFixedDelay(this::clearSafely, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Binds the port and starts receiving.
   *
   * @throws IllegalArgumentException naming the file when the community or a passphrase cannot be
   *     read
   * @throws IllegalStateException naming the address when it cannot be bound
   */
  public static TrapReceiver start(
      TrapsSection config, AlertEngine engine, Store store, Clock clock) {
    byte[] community =
        config.communityFile() == null
            ? null
            : firstLine(config.communityFile(), "community_file").getBytes(StandardCharsets.UTF_8);
    try {
      TrapReceiver r = new TrapReceiver(config, engine, store, clock, community);
      if (config.sources().isEmpty()) {
        LOG.error(
            "snmp_traps.sources is not set: every trap is dropped until it lists the addresses or"
                + " networks of the devices that send them (a community alone can be sniffed and a"
                + " UDP source forged)");
      }
      LOG.info(
          "receiving SNMP traps ({}) on udp {} from {}",
          (community == null ? "" : "v2c") + (r.users.isEmpty() ? "" : " v3"),
          r.port(),
          config.sources());
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(
          "snmp_traps: cannot listen on udp " + config.listen() + ": " + e.getMessage(), e);
    }
  }

  private static String firstLine(Path file, String key) {
    try {
      String first = Files.readString(file).lines().findFirst().orElse("").strip();
      if (first.isEmpty()) {
        throw new IllegalArgumentException("snmp_traps." + key + " \"" + file + "\" is empty");
      }
      return first;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "snmp_traps." + key + ": cannot read \"" + file + "\": " + e, e);
    }
  }

  private static OID authOid(String name) {
    return switch (name) {
      case "MD5" -> AuthMD5.ID;
      case "SHA" -> AuthSHA.ID;
      case "SHA-224" -> AuthHMAC128SHA224.ID;
      case "SHA-256" -> AuthHMAC192SHA256.ID;
      case "SHA-384" -> AuthHMAC256SHA384.ID;
      default -> AuthHMAC384SHA512.ID;
    };
  }

  private static OID privOid(String name) {
    return switch (name) {
      case "DES" -> PrivDES.ID;
      case "AES-192" -> PrivAES192.ID;
      case "AES-256" -> PrivAES256.ID;
      default -> PrivAES128.ID;
    };
  }

  /** The UDP port traps are received on (useful with {@code listen: host:0}). */
  public int port() {
    return transport.getListenAddress().getPort();
  }

  /** Traps dropped: wrong source, community or user, or a host traps may not report for. */
  public long dropped() {
    return dropped.get();
  }

  /** Traps accepted. */
  public long received() {
    return received.get();
  }

  private void onPdu(CommandResponderEvent<?> event) {
    PDU pdu = event.getPDU();
    if (pdu == null || pdu.getType() != PDU.TRAP) {
      return;
    }
    event.setProcessed(true);
    InetAddress sender = address(event.getPeerAddress());
    String source =
        sender == null ? String.valueOf(event.getPeerAddress()) : sender.getHostAddress();
    if (sender == null || sources.stream().noneMatch(n -> n.contains(sender))) {
      drop(
          source,
          sources.isEmpty() ? "snmp_traps.sources is not set" : "not in snmp_traps.sources");
      return;
    }
    String refusal = authenticate(event);
    if (refusal != null) {
      drop(source, refusal);
      return;
    }
    try {
      handle(source, pdu.getVariableBindings());
    } catch (RuntimeException e) {
      LOG.warn("SNMP trap from {} not stored: {}", source, e.toString());
    }
  }

  /** Null when the trap carries the community or comes from an authenticated USM user. */
  private String authenticate(CommandResponderEvent<?> event) {
    byte[] got = event.getSecurityName();
    if (event.getSecurityModel() == SecurityModel.SECURITY_MODEL_USM) {
      String user = got == null ? "" : new String(got, StandardCharsets.UTF_8);
      if (!users.contains(user) || event.getSecurityLevel() < SecurityLevel.AUTH_NOPRIV) {
        return "SNMPv3 user \"" + user + "\" is not in snmp_traps.users or not authenticated";
      }
      return null;
    }
    if (community == null) {
      return "v2c traps are not accepted (no snmp_traps.community_file)";
    }
    if (got == null || !MessageDigest.isEqual(got, community)) {
      return "wrong community";
    }
    return null;
  }

  private void drop(String source, String why) {
    dropped.incrementAndGet();
    if (logged.add(source + "\0" + why)) {
      LOG.warn(
          "SNMP trap from {} dropped: {} (further ones for this reason are only counted)",
          source,
          why);
    }
  }

  private static InetAddress address(Address a) {
    if (a instanceof UdpAddress u) {
      return u.getInetAddress();
    }
    if (a instanceof IpAddress ip) {
      return ip.getInetAddress();
    }
    return null;
  }

  /** What one trap means: host, service, status (null: no rule), the text, the rule. */
  record Meaning(String host, String service, Status status, String text, TrapsSection.Rule rule) {}

  /**
   * Reads a trap's varbinds against the rules; pure.
   *
   * @param source the sender's address, an IP literal
   */
  static Meaning meaning(TrapsSection config, String source, List<? extends VariableBinding> vbs) {
    OID trapOid = null;
    for (VariableBinding vb : vbs) {
      if (vb.getOid().equals(SNMP_TRAP_OID) && vb.getVariable() instanceof OID o) {
        trapOid = o;
      }
    }
    String trap = trapOid == null ? "(no snmpTrapOID.0)" : trapOid.toDottedString();
    String name =
        TrapsSection.NAMES.entrySet().stream()
            .filter(e -> e.getValue().equals(trap))
            .map(e -> e.getKey() + " (" + trap + ")")
            .findFirst()
            .orElse(trap);
    List<String> objects = new ArrayList<>();
    for (VariableBinding vb : vbs) {
      if (!vb.getOid().equals(SNMP_TRAP_OID) && !vb.getOid().equals(SnmpConstants.sysUpTime)) {
        objects.add(vb.getOid() + "=" + vb.getVariable());
      }
    }
    InetAddress sender = literal(source);
    Optional<TrapsSection.Rule> rule =
        config.rules().stream()
            .filter(r -> r.oid().equals(trap) && (sender == null || r.appliesTo(sender)))
            .findFirst();
    String host = source;
    String key = null;
    if (rule.isPresent()) {
      TrapsSection.Rule r = rule.get();
      if (r.host() != null) {
        host = r.host();
      } else if (r.hostFrom().startsWith("varbind:")) {
        OID want = new OID(r.hostFrom().substring(8));
        for (VariableBinding vb : vbs) {
          if (vb.getOid().equals(want) && !vb.getVariable().toString().isBlank()) {
            host = vb.getVariable().toString().strip();
          }
        }
      }
      if (r.keyOid() != null) {
        OID prefix = new OID(r.keyOid());
        for (VariableBinding vb : vbs) {
          if (key == null && vb.getOid().startsWith(prefix)) {
            key = vb.getVariable().toString().strip().replaceAll("\\p{Cntrl}", "?");
            key = key.length() > MAX_KEY ? key.substring(0, MAX_KEY) : key;
            key = key.isEmpty() ? null : key;
          }
        }
      }
    }
    String text =
        "SNMP trap "
            + name
            + " from "
            + source
            + (objects.isEmpty() ? "" : ": " + String.join(", ", objects));
    String k = key;
    return new Meaning(
        host.replaceAll("[^A-Za-z0-9._-]", "-"),
        rule.map(r -> r.serviceFor(k)).orElse("SNMP traps"),
        rule.map(TrapsSection.Rule::status).orElse(null),
        text.length() > 1000 ? text.substring(0, 1000) + "..." : text,
        rule.orElse(null));
  }

  private static InetAddress literal(String source) {
    try {
      return SourceNetwork.parse(source).network();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void handle(String source, List<? extends VariableBinding> vbs) {
    Meaning m = meaning(config, source, vbs);
    TrapHosts.Refusal refusal = hosts.check(m.host(), m.status() != null);
    if (refusal == TrapHosts.Refusal.AGENT_NODE) {
      drop(
          source,
          "host \""
              + m.host()
              + "\" is an agent's node, and a trap may not report for an agent (see the rule's"
              + " host_from)");
      return;
    }
    if (refusal == TrapHosts.Refusal.MAX_HOSTS) {
      drop(
          source,
          "snmp_traps.max_hosts ("
              + config.maxHosts()
              + ") trap hosts exist, so no new one such as \""
              + m.host()
              + "\" is made");
      return;
    }
    received.incrementAndGet();
    long now = clock.millis();
    if (m.status() != null) {
      ingest(m.host(), m.service(), m.status(), m.text(), now);
      Long after = m.rule().clearAfter() == null ? null : m.rule().clearAfter().toMillis();
      synchronized (clearAt) {
        if (after == null || m.status() == Status.OK) {
          clearAt.remove(m.host() + "\0" + m.service());
        } else {
          clearAt.put(m.host() + "\0" + m.service(), now + after);
        }
      }
    }
    store.alerts(
        tx -> {
          tx.event(
              m.host(),
              m.service(),
              now,
              (m.status() == null ? Status.OK : m.status()).name(),
              m.text());
          return null;
        });
  }

  private void ingest(String host, String service, Status status, String text, long now) {
    engine.ingest(
        new Report(
            Report.VERSION,
            host,
            HostRecord.TRAP_AGENT,
            seq.updateAndGet(last -> Math.max(last + 1, now)),
            now,
            YEAR_S,
            List.of("snmp-trap"),
            List.of(new CheckResult(service, "snmp-trap", status, text, now, List.of())),
            List.of()));
  }

  /**
   * Returns to OK every service of a rule with {@code clear_after} whose last trap is that old
   * (Nagios/Icinga passive services get the same from freshness checks, Zabbix from {@code
   * nodata()}). Runs every second; tests call it with their clock.
   */
  void clearExpired() {
    long now = clock.millis();
    List<String> due = new ArrayList<>();
    synchronized (clearAt) {
      clearAt.entrySet().removeIf(e -> e.getValue() <= now && due.add(e.getKey()));
    }
    for (String hs : due) {
      int z = hs.indexOf('\0');
      String host = hs.substring(0, z);
      String service = hs.substring(z + 1);
      Optional<TrapsSection.Rule> rule = ruleOf(service);
      String after = rule.map(r -> shortly(r.clearAfter())).orElse("clear_after");
      ingest(
          host, service, Status.OK, "OK - no trap for " + after + " (clear_after): cleared", now);
    }
  }

  /** {@code 30m}, {@code 2h}, {@code 90s}: the duration as a rule would write it. */
  private static String shortly(java.time.Duration d) {
    return io.custos.common.units.Durations.format(d);
  }

  private void clearSafely() {
    try {
      clearExpired();
    } catch (RuntimeException e) {
      LOG.warn("SNMP trap services could not be cleared now: {}", e.toString());
    }
  }

  private Optional<TrapsSection.Rule> ruleOf(String service) {
    return config.rules().stream()
        .filter(r -> r.clearAfter() != null && Globs.matches(r.serviceGlob(), service))
        .findFirst();
  }

  /** After a restart: services of trap hosts still in a problem clear as if never interrupted. */
  private void restoreClearing() {
    if (config.rules().stream().noneMatch(r -> r.clearAfter() != null)) {
      return;
    }
    for (HostRecord h : store.hosts()) {
      if (!h.isTrapHost()) {
        continue;
      }
      for (ServiceRecord s : store.services(h.name())) {
        if (s.status() != Status.OK) {
          ruleOf(s.service())
              .ifPresent(
                  r ->
                      clearAt.put(
                          h.name() + "\0" + s.service(),
                          s.lastCheck() + r.clearAfter().toMillis()));
        }
      }
    }
  }

  @Override
  public void close() {
    clearer.shutdownNow();
    try {
      snmp.close();
    } catch (IOException e) {
      LOG.debug("closing the trap socket", e);
    }
  }
}
