package io.custos.agent.check.snmp;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import io.custos.agent.check.NagiosRange;
import io.custos.agent.check.os.Interfaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Configuration of the {@code snmp} check: one device (switch, UPS, PDU, router) polled over SNMP
 * v2c or v3 by the agent, so one node near the devices watches them.
 *
 * <pre>{@code
 * - type: snmp
 *   name: core-sw1
 *   host: 10.0.0.2
 *   community_file: /etc/custos/snmp-community      # v2c (the default version)
 *   get:
 *     - { name: sysUpTime }
 *     - { name: ifInErrors.3, label: uplink errors, warning: 1, critical: 10 }   # per second
 *     - { oid: 1.3.6.1.4.1.9.9.13.1.3.1.3.1, label: inlet temperature, warning: 40, critical: 50 }
 *   interfaces: { match: "Gi*|xe-*", expect_speed: 10000, error_rate_warning: 1 }
 * - type: snmp
 *   name: ups1
 *   host: 10.0.0.9
 *   version: 3
 *   user: custos
 *   auth_protocol: sha256                  # sha (default) | sha256
 *   auth_password_file: /etc/custos/ups1.auth
 *   priv_protocol: aes                     # aes | aes256; left out: authNoPriv
 *   priv_password_file: /etc/custos/ups1.priv
 *   ups: true
 *   get: [ { name: upsEstimatedMinutesRemaining, warning: "15:", critical: "5:" } ]
 * }</pre>
 *
 * @param host the device's host name or address
 * @param port its SNMP port; default 161
 * @param version {@code 2c} (default) or {@code 3}
 * @param communityFile v2c: a file whose first line is the community (a secret, like tokens)
 * @param user v3: the USM user name
 * @param authProtocol v3: {@code sha} (HMAC-SHA-96, the default) or {@code sha256}
 *     (HMAC-SHA-256-192, RFC 7860)
 * @param authPasswordFile v3: a file whose first line is the authentication passphrase
 * @param privProtocol v3: {@code aes} (AES-128-CFB, RFC 3826) or {@code aes256}; none means
 *     authNoPriv
 * @param privPasswordFile v3: a file whose first line is the privacy passphrase
 * @param get objects to read, each {@code {name|oid, label, warning, critical}}: a name from {@link
 *     SnmpNames} (with or without an instance) or a numeric OID; a table column named without an
 *     instance is walked, every row judged
 * @param interfaces the interface table per port (see {@link Interfaces}); default none
 * @param ups true: the UPS-MIB (RFC 1628) set as its own service; default false
 * @param retries how often a request is resent before the device counts as unreachable; default 1
 * @param requestTimeout how long one request waits for its answer; default 2s
 * @param device the {@code name} key: the device's name in service names ({@code SNMP core-sw1},
 *     {@code SNMP core-sw1 Gi0/1}, {@code UPS ups1}); default the host
 */
public record SnmpConfig(
    String host,
    Integer port,
    String version,
    @JsonProperty("community_file") Path communityFile,
    String user,
    @JsonProperty("auth_protocol") String authProtocol,
    @JsonProperty("auth_password_file") Path authPasswordFile,
    @JsonProperty("priv_protocol") String privProtocol,
    @JsonProperty("priv_password_file") Path privPasswordFile,
    List<Item> get,
    Interfaces interfaces,
    Boolean ups,
    Integer retries,
    @JsonProperty("request_timeout") Duration requestTimeout,
    @JsonProperty("name") String device)
    implements CheckKind {

  /**
   * One object to read.
   *
   * @param name an object name, {@code ifInErrors.3}, {@code sysUpTime}
   * @param oid a numeric OID instead of a name
   * @param label the text shown instead of the object's name
   * @param warning a Nagios range ({@link NagiosRange}); for a counter it applies to the rate per
   *     second
   * @param critical the same for CRITICAL
   */
  public record Item(
      String name, String oid, String label, NagiosRange warning, NagiosRange critical) {
    public Item {
      if ((name == null) == (oid == null)) {
        throw new IllegalArgumentException(
            "get: each entry needs exactly one of name or oid, got name=" + name + " oid=" + oid);
      }
      SnmpNames.resolve(name != null ? name : oid);
    }

    SnmpNames.Target target() {
      return SnmpNames.resolve(name != null ? name : oid);
    }
  }

  /**
   * The interface table per port: IF-MIB ifTable and ifXTable (RFC 2863).
   *
   * @param match globs ({@code *}, {@code ?}) on ifName (ifDescr when the device has no ifName),
   *     several separated by {@code |}: the ports listed, each judged whatever its history; default
   *     every port in use (up, or down after having been up since the device booted), not virtual
   *     interfaces (VLANs, loopbacks)
   * @param exclude globs of ports never to check, the same way
   * @param expectSpeed the expected speed in Mb/s; a port that is up below it is WARNING
   * @param errorRateWarning in plus out errors per second at or above which a port is WARNING;
   *     default 1
   * @param errorRateCritical the same for CRITICAL; default none
   */
  public record Interfaces(
      String match,
      String exclude,
      @JsonProperty("expect_speed") Long expectSpeed,
      @JsonProperty("error_rate_warning") Double errorRateWarning,
      @JsonProperty("error_rate_critical") Double errorRateCritical) {
    public Interfaces {
      if (expectSpeed != null && expectSpeed <= 0) {
        throw new IllegalArgumentException(
            "interfaces.expect_speed: expected a speed in Mb/s, got " + expectSpeed);
      }
      errorRateWarning = errorRateWarning == null ? 1.0 : errorRateWarning;
      if (!(errorRateWarning > 0) || errorRateCritical != null && !(errorRateCritical > 0)) {
        throw new IllegalArgumentException(
            "interfaces.error_rate_warning and error_rate_critical must be positive rates per"
                + " second");
      }
      if (errorRateCritical != null && errorRateCritical <= errorRateWarning) {
        throw new IllegalArgumentException(
            "interfaces.error_rate_warning ("
                + Levels.number(errorRateWarning)
                + ") must be below error_rate_critical ("
                + Levels.number(errorRateCritical)
                + ")");
      }
    }

    List<String> matchGlobs() {
      return globs(match);
    }

    List<String> excludeGlobs() {
      return globs(exclude);
    }

    private static List<String> globs(String s) {
      return s == null || s.isBlank()
          ? List.of()
          : Arrays.stream(s.split("\\|")).map(String::strip).filter(g -> !g.isEmpty()).toList();
    }
  }

  public SnmpConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: expected the device's host name or address");
    }
    port = Levels.requirePort(port == null ? 161 : port);
    version = version == null ? "2c" : version.strip().toLowerCase(Locale.ROOT);
    if (version.equals("v2c") || version.equals("2")) {
      version = "2c";
    }
    if (version.equals("v3")) {
      version = "3";
    }
    switch (version) {
      case "2c" -> {
        if (communityFile == null) {
          throw new IllegalArgumentException(
              "community_file: version 2c needs a file holding the community");
        }
      }
      case "3" -> {
        if (user == null || user.isBlank()) {
          throw new IllegalArgumentException("user: version 3 needs the USM user name");
        }
        authProtocol = authProtocol == null ? "sha" : authProtocol.toLowerCase(Locale.ROOT);
        if (!List.of("sha", "sha256").contains(authProtocol)) {
          throw new IllegalArgumentException(
              "auth_protocol: expected sha or sha256, got \"" + authProtocol + "\"");
        }
        if (authPasswordFile == null) {
          throw new IllegalArgumentException(
              "auth_password_file: version 3 needs a file holding the auth passphrase");
        }
        if (privProtocol != null) {
          privProtocol = privProtocol.toLowerCase(Locale.ROOT);
          if (!List.of("aes", "aes128", "aes256").contains(privProtocol)) {
            throw new IllegalArgumentException(
                "priv_protocol: expected aes or aes256, got \"" + privProtocol + "\"");
          }
          if (privPasswordFile == null) {
            throw new IllegalArgumentException(
                "priv_password_file: priv_protocol needs a file holding the privacy passphrase");
          }
        }
      }
      default ->
          throw new IllegalArgumentException("version: expected 2c or 3, got \"" + version + "\"");
    }
    device = device == null || device.isBlank() ? host : device.strip();
    get = get == null ? List.of() : List.copyOf(get);
    ups = ups != null && ups;
    retries = retries == null ? 1 : retries;
    if (retries < 0 || retries > 10) {
      throw new IllegalArgumentException("retries: expected 0-10, got " + retries);
    }
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(2) : requestTimeout;
    if (requestTimeout.isZero() || requestTimeout.isNegative()) {
      throw new IllegalArgumentException("request_timeout must be positive");
    }
  }

  @Override
  public String type() {
    return "snmp";
  }
}
