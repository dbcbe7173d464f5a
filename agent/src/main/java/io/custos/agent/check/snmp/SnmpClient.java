package io.custos.agent.check.snmp;

import io.custos.agent.check.CheckRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.GenericAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.util.DefaultPDUFactory;
import org.snmp4j.util.TreeEvent;
import org.snmp4j.util.TreeUtils;

/**
 * Reads a device over UDP with snmp4j: GET, and walks with GETBULK (RFC 3416), for SNMP v2c
 * (community, RFC 1901) and v3 with the User-based Security Model (RFC 3414; SHA-256 auth RFC 7860,
 * AES privacy RFC 3826). Each request waits {@code request_timeout} and is resent {@code retries}
 * times. The USM and its protocols belong to this client, never to snmp4j's process-wide defaults.
 *
 * <p>Failure behaviour: no answer is an unreachable {@link SnmpSource.SnmpException} naming host,
 * port, timeout and retries; a v3 report ({@code usmStatsWrongDigests} and the like) or an error
 * status names the reason; secrets that cannot be read name the file.
 */
final class SnmpClient implements SnmpSource {
  // usmStats counters (RFC 3414 §5) a v3 agent answers with in a Report PDU
  private static final Map<String, String> USM_REPORTS =
      Map.of(
          "1.3.6.1.6.3.15.1.1.1.0", "unsupported security level (usmStatsUnsupportedSecLevels)",
          "1.3.6.1.6.3.15.1.1.2.0", "not in time window (usmStatsNotInTimeWindows)",
          "1.3.6.1.6.3.15.1.1.3.0", "unknown user name (usmStatsUnknownUserNames)",
          "1.3.6.1.6.3.15.1.1.4.0", "unknown engine ID (usmStatsUnknownEngineIDs)",
          "1.3.6.1.6.3.15.1.1.5.0",
              "authentication failed: wrong auth password or protocol (usmStatsWrongDigests)",
          "1.3.6.1.6.3.15.1.1.6.0",
              "decryption failed: wrong privacy password or protocol (usmStatsDecryptionErrors)");

  private final SnmpConfig config;
  private final Snmp snmp;
  private final Target<Address> target;
  private final String where;

  /**
   * Opens a UDP socket for one run.
   *
   * @throws SnmpException (not unreachable) when a secret file cannot be read or no socket opens
   */
  SnmpClient(SnmpConfig config) throws SnmpException {
    this.config = config;
    this.where = config.host() + ":" + config.port();
    Address address = GenericAddress.parse("udp:" + config.host() + "/" + config.port());
    if (address == null) {
      address = new UdpAddress(config.host() + "/" + config.port());
    }
    // secrets first: a missing file must not leave a socket open
    UsmUser user = config.version().equals("3") ? user() : null;
    target = user != null ? userTarget(address) : communityTarget(address);
    try {
      MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
      dispatcher.addMessageProcessingModel(new MPv2c());
      USM usm = null;
      if (user != null) {
        SecurityProtocols protocols =
            new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new AuthSHA());
        protocols.addAuthenticationProtocol(new AuthHMAC192SHA256());
        protocols.addPrivacyProtocol(new PrivAES128());
        protocols.addPrivacyProtocol(new PrivAES256());
        usm = new USM(protocols, new OctetString(MPv3.createLocalEngineID()), 0);
        usm.addUser(user);
        dispatcher.addMessageProcessingModel(new MPv3(usm));
      }
      snmp = new Snmp(dispatcher, new DefaultUdpTransportMapping());
      snmp.listen();
    } catch (IOException e) {
      throw new SnmpException("cannot open an SNMP socket: " + e.getMessage(), false);
    }
  }

  private Target<Address> communityTarget(Address address) throws SnmpException {
    CommunityTarget<Address> t =
        new CommunityTarget<>(
            address, new OctetString(secret(config.communityFile(), "community_file")));
    t.setVersion(SnmpConstants.version2c);
    return timing(t);
  }

  private Target<Address> userTarget(Address address) {
    UserTarget<Address> t = new UserTarget<>();
    t.setAddress(address);
    t.setVersion(SnmpConstants.version3);
    t.setSecurityModel(SecurityModel.SECURITY_MODEL_USM);
    t.setSecurityName(new OctetString(config.user()));
    t.setSecurityLevel(
        config.privProtocol() == null ? SecurityLevel.AUTH_NOPRIV : SecurityLevel.AUTH_PRIV);
    return timing(t);
  }

  private <T extends Target<Address>> T timing(T t) {
    t.setTimeout(config.requestTimeout().toMillis());
    t.setRetries(config.retries());
    return t;
  }

  private UsmUser user() throws SnmpException {
    OID auth = config.authProtocol().equals("sha256") ? AuthHMAC192SHA256.ID : AuthSHA.ID;
    OctetString authPass = new OctetString(secret(config.authPasswordFile(), "auth_password_file"));
    OID priv = null;
    OctetString privPass = null;
    if (config.privProtocol() != null) {
      priv = config.privProtocol().equals("aes256") ? PrivAES256.ID : PrivAES128.ID;
      privPass = new OctetString(secret(config.privPasswordFile(), "priv_password_file"));
    }
    return new UsmUser(new OctetString(config.user()), auth, authPass, priv, privPass);
  }

  /** The first line of a secret file, as token files are read. */
  static String secret(Path file, String key) throws SnmpException {
    try {
      String first = Files.readString(file).lines().findFirst().orElse("").strip();
      if (first.isEmpty()) {
        throw new SnmpException(key + " \"" + file + "\" is empty", false);
      }
      return first;
    } catch (IOException e) {
      throw new SnmpException(
          "cannot read " + key + " \"" + file + "\": " + e.getClass().getSimpleName(), false);
    }
  }

  private PDU pdu(int type) {
    PDU pdu = config.version().equals("3") ? new ScopedPDU() : new PDU();
    pdu.setType(type);
    return pdu;
  }

  @Override
  public List<VariableBinding> get(List<OID> oids) throws SnmpException {
    List<VariableBinding> out = new ArrayList<>();
    // a few per request: some devices answer tooBig to long GETs
    for (int i = 0; i < oids.size(); i += 20) {
      PDU pdu = pdu(PDU.GET);
      for (OID o : oids.subList(i, Math.min(oids.size(), i + 20))) {
        pdu.add(new VariableBinding(o));
      }
      ResponseEvent<Address> e;
      try {
        e = snmp.send(pdu, target);
      } catch (IOException ex) {
        throw new SnmpException("cannot send to " + where + ": " + ex.getMessage(), false);
      }
      PDU r = e.getResponse();
      if (r == null) {
        throw e.getError() != null
            ? new SnmpException(where + ": " + e.getError().getMessage(), false)
            : noAnswer();
      }
      if (r.getType() == PDU.REPORT) {
        throw report(r);
      }
      if (r.getErrorStatus() != PDU.noError) {
        throw new SnmpException(
            where
                + " answered "
                + r.getErrorStatusText()
                + " for "
                + SnmpNames.describe(pdu.get(Math.max(0, r.getErrorIndex() - 1)).getOid()),
            false);
      }
      out.addAll(r.getVariableBindings());
    }
    return out;
  }

  @Override
  public List<VariableBinding> walk(OID root) throws SnmpException {
    TreeUtils tree = new TreeUtils(snmp, new DefaultPDUFactory(PDU.GETBULK));
    tree.setMaxRepetitions(25);
    List<VariableBinding> out = new ArrayList<>();
    for (TreeEvent e : tree.getSubtree(target, root)) {
      if (e.isError()) {
        if (e.getStatus() == TreeEvent.STATUS_TIMEOUT) {
          throw noAnswer();
        }
        if (e.getStatus() == TreeEvent.STATUS_REPORT && e.getReportPDU() != null) {
          throw report(e.getReportPDU());
        }
        throw new SnmpException(
            "walking " + SnmpNames.describe(root) + " on " + where + ": " + e.getErrorMessage(),
            false);
      }
      if (e.getVariableBindings() != null) {
        for (VariableBinding vb : e.getVariableBindings()) {
          if (vb != null) {
            out.add(vb);
          }
        }
      }
    }
    return out;
  }

  private SnmpException noAnswer() {
    if (config.version().equals("3")) {
      SnmpException why = diagnose();
      if (why != null) {
        return why;
      }
    }
    return new SnmpException(
        "no answer from "
            + where
            + " within "
            + CheckRunner.format(config.requestTimeout())
            + " ("
            + (config.retries() + 1)
            + " tries"
            + (config.version().equals("2c") ? "; wrong community?" : "")
            + ")",
        true);
  }

  /**
   * Why a v3 request got no answer, when the device is there: an agent that cannot authenticate or
   * decrypt a request cannot read its request ID either, so its Report (usmStatsWrongDigests,
   * usmStatsDecryptionErrors) never matches and snmp4j waits in vain. Engine discovery (which needs
   * no credentials) tells "reachable" from "not", and one authNoPriv GET tells a wrong auth
   * password from a wrong privacy password. Null when the device does not answer discovery.
   */
  private SnmpException diagnose() {
    byte[] engine =
        snmp.discoverAuthoritativeEngineID(target.getAddress(), config.requestTimeout().toMillis());
    if (engine == null || engine.length == 0) {
      return null;
    }
    if (config.privProtocol() != null) {
      UserTarget<Address> t = (UserTarget<Address>) target.duplicate();
      t.setSecurityLevel(SecurityLevel.AUTH_NOPRIV);
      t.setRetries(0);
      PDU pdu = pdu(PDU.GET);
      pdu.add(new VariableBinding(SnmpCheck.SYS_UP_TIME));
      try {
        PDU r = snmp.send(pdu, t).getResponse();
        if (r != null
            && r.getType() == PDU.REPORT
            && r.size() > 0
            && !r.get(0).getOid().toDottedString().equals("1.3.6.1.6.3.15.1.1.1.0")) {
          return report(r);
        }
        if (r != null) {
          return new SnmpException(
              where
                  + " answers user \""
                  + config.user()
                  + "\" without privacy but not with it: wrong privacy password or protocol"
                  + " (priv_password_file, priv_protocol)",
              false);
        }
      } catch (IOException e) {
        // fall through to the auth verdict
      }
    }
    return new SnmpException(
        where
            + " answers SNMP engine discovery but not user \""
            + config.user()
            + "\": wrong auth password or protocol (auth_password_file, auth_protocol)",
        false);
  }

  private SnmpException report(PDU r) {
    String oid = r.size() > 0 ? r.get(0).getOid().toDottedString() : "";
    String why = USM_REPORTS.getOrDefault(oid, "report " + oid);
    return new SnmpException(where + " refused user \"" + config.user() + "\": " + why, false);
  }

  @Override
  public void close() {
    try {
      snmp.close();
    } catch (IOException e) {
      // closing a UDP socket; nothing to do
    }
  }
}
