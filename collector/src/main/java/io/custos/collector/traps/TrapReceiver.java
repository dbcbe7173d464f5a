package io.custos.collector.traps;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.config.TrapsSection;
import io.custos.collector.store.Store;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Receives SNMPv2c traps (SNMPv2-Trap-PDU, RFC 3416 §4.2.6; varbinds sysUpTime.0, snmpTrapOID.0,
 * then the trap's objects, RFC 3416 §4.2.6 and RFC 3418) with snmp4j on a UDP port.
 *
 * <p>Every trap with the right community is an event ({@code alert} kind) in the history of its
 * host: {@code SNMP trap linkDown (1.3.6.1.6.3.1.1.5.3) from 10.0.0.2: 1.3.6.1.2.1.2.2.1.1.3=3,
 * ...}, under the service of the rule that matched, else {@code SNMP traps}. A trap a rule matches
 * is also a check result for (host, rule service) with the rule's status, ingested like an agent's
 * report, so the state machine alerts, dedups and recovers it like any service. A trap host is not
 * an agent: its reports carry the receive time as {@code seq} and an interval of a year, so silence
 * never makes it DOWN.
 *
 * <p>Failure behaviour: a trap with another community is dropped and counted ({@link #dropped()}),
 * logged once per source address; a trap that cannot be stored is logged and the receiver goes on
 * with the next.
 */
public final class TrapReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrapReceiver.class);
  static final OID SNMP_TRAP_OID = SnmpConstants.snmpTrapOID;
  static final int YEAR_S = 365 * 24 * 3600;

  private final TrapsSection config;
  private final AlertEngine engine;
  private final Store store;
  private final Clock clock;
  private final byte[] community;
  private final Snmp snmp;
  private final DefaultUdpTransportMapping transport;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  // report sequence numbers: the receive time, but strictly increasing (two traps in one ms)
  private final AtomicLong seq = new AtomicLong();
  private final Set<String> loggedSources = ConcurrentHashMap.newKeySet();

  private TrapReceiver(
      TrapsSection config, AlertEngine engine, Store store, Clock clock, byte[] community)
      throws IOException {
    this.config = config;
    this.engine = engine;
    this.store = store;
    this.clock = clock;
    this.community = community;
    this.transport =
        new DefaultUdpTransportMapping(
            new UdpAddress(config.listenHost() + "/" + config.listenPort()));
    MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    dispatcher.addMessageProcessingModel(new MPv2c());
    this.snmp = new Snmp(dispatcher, transport);
    CommandResponder responder = this::onPdu;
    snmp.addCommandResponder(responder);
    snmp.listen();
  }

  /**
   * Binds the port and starts receiving.
   *
   * @throws IllegalArgumentException naming the file when the community cannot be read
   * @throws IllegalStateException naming the address when it cannot be bound
   */
  public static TrapReceiver start(
      TrapsSection config, AlertEngine engine, Store store, Clock clock) {
    byte[] community;
    try {
      String first =
          Files.readString(config.communityFile()).lines().findFirst().orElse("").strip();
      if (first.isEmpty()) {
        throw new IllegalArgumentException(
            "snmp_traps.community_file \"" + config.communityFile() + "\" is empty");
      }
      community = first.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "snmp_traps.community_file: cannot read \"" + config.communityFile() + "\": " + e, e);
    }
    try {
      TrapReceiver r = new TrapReceiver(config, engine, store, clock, community);
      LOG.info("receiving SNMP v2c traps on udp {}", r.port());
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(
          "snmp_traps: cannot listen on udp " + config.listen() + ": " + e.getMessage(), e);
    }
  }

  /** The UDP port traps are received on (useful with {@code listen: host:0}). */
  public int port() {
    return transport.getListenAddress().getPort();
  }

  /** Traps dropped for a wrong community. */
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
    String source = source(event.getPeerAddress());
    byte[] got = event.getSecurityName();
    if (got == null || !java.security.MessageDigest.isEqual(got, community)) {
      dropped.incrementAndGet();
      if (loggedSources.add(source)) {
        LOG.warn(
            "SNMP trap from {} dropped: wrong community (further ones from there are only counted)",
            source);
      }
      return;
    }
    received.incrementAndGet();
    try {
      handle(source, pdu.getVariableBindings());
    } catch (RuntimeException e) {
      LOG.warn("SNMP trap from {} not stored: {}", source, e.toString());
    }
  }

  private static String source(Address a) {
    if (a instanceof UdpAddress u) {
      return u.getInetAddress().getHostAddress();
    }
    if (a instanceof IpAddress ip) {
      return ip.getInetAddress().getHostAddress();
    }
    return String.valueOf(a);
  }

  /** What one trap means: host, service, status (null: no rule) and the text. */
  record Meaning(String host, String service, Status status, String text) {}

  /**
   * Reads a trap's varbinds against the rules; pure.
   *
   * @param source the sender's address
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
    Optional<TrapsSection.Rule> rule =
        config.rules().stream().filter(r -> r.oid().equals(trap)).findFirst();
    String host = source;
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
    }
    String text =
        "SNMP trap "
            + name
            + " from "
            + source
            + (objects.isEmpty() ? "" : ": " + String.join(", ", objects));
    return new Meaning(
        host.replaceAll("[^A-Za-z0-9._-]", "-"),
        rule.map(TrapsSection.Rule::service).orElse("SNMP traps"),
        rule.map(TrapsSection.Rule::status).orElse(null),
        text.length() > 1000 ? text.substring(0, 1000) + "..." : text);
  }

  private void handle(String source, List<? extends VariableBinding> vbs) {
    Meaning m = meaning(config, source, vbs);
    long now = clock.millis();
    if (m.status() != null) {
      engine.ingest(
          new Report(
              Report.VERSION,
              m.host(),
              "custos-collector/snmp-trap",
              seq.updateAndGet(last -> Math.max(last + 1, now)),
              now,
              YEAR_S,
              List.of("snmp-trap"),
              List.of(
                  new CheckResult(m.service(), "snmp-trap", m.status(), m.text(), now, List.of())),
              List.of()));
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

  @Override
  public void close() {
    try {
      snmp.close();
    } catch (IOException e) {
      LOG.debug("closing the trap socket", e);
    }
  }
}
