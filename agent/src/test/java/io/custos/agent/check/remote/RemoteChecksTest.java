package io.custos.agent.check.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Schedule;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote checks against servers started on loopback. */
class RemoteChecksTest {
  private static final CheckContext CONTEXT = new CheckContext(Path.of("/"), Clock.systemUTC());

  @TempDir static Path tmp;
  static HttpServer http;
  static HttpsServer https;

  private static void answer(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @BeforeAll
  static void servers() throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", ex -> answer(ex, 200, "<h1>Welcome</h1>"));
    http.createContext("/broken", ex -> answer(ex, 500, "oops"));
    http.createContext(
        "/slow",
        ex -> {
          try {
            // The server is slow on purpose; the check's thresholds are far below this.
            TimeUnit.MILLISECONDS.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answer(ex, 200, "<h1>Welcome</h1>");
        });
    http.createContext(
        "/moved",
        ex -> {
          ex.getResponseHeaders().add("Location", "/");
          ex.sendResponseHeaders(301, -1);
          ex.close();
        });
    http.start();

    // A self-signed certificate valid for 5 days, made by the JDK's keytool.
    Path store = tmp.resolve("near-expiry.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "web",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-validity",
                "5",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as("keytool: %s", out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(ssl));
    https.createContext("/", ex -> answer(ex, 200, "secure"));
    https.start();
  }

  @AfterAll
  static void stop() {
    http.stop(0);
    https.stop(0);
  }

  private static String base() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  private static HttpConfig http(
      String url,
      Integer status,
      String contains,
      Duration warning,
      Duration critical,
      Boolean follow,
      Boolean verify) {
    return new HttpConfig(
        URI.create(url), status, contains, null, follow, verify, null, null, warning, critical);
  }

  /** The http check bounded by 5s, so a test never waits for the default 10s. */
  private static HttpCheck check(HttpConfig config) {
    return new HttpCheck(config, new Schedule(null, Duration.ofSeconds(5), null, null, null));
  }

  /** How long a ping in these tests may take. */
  private static final Schedule PING = new Schedule(null, Duration.ofMillis(700), null, null, null);

  private static CheckResult run(Check c) throws Exception {
    List<CheckResult> r = c.run(CONTEXT);
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  void pageUpWithTheExpectedText() throws Exception {
    CheckResult r = run(check(http(base() + "/", 200, "Welcome", null, null, null, null)));

    assertThat(r.service()).isEqualTo("HTTP " + base() + "/");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).startsWith("HTTP OK - 200 OK, 16 bytes in 0.");
    assertThat(r.metrics())
        .extracting(Metric::name)
        .containsExactly("http_response_seconds", "http_status_code", "http_content_bytes");
  }

  @Test
  void serverErrorIsCriticalWebPageDown() throws Exception {
    CheckResult r = run(check(http(base() + "/broken", 200, null, null, null, null, null)));
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .startsWith("HTTP CRITICAL - 500 Internal Server Error, expected 200, 4 bytes");

    CheckResult any = run(check(http(base() + "/broken", null, null, null, null, null, null)));
    assertThat(any.status()).isEqualTo(Status.CRITICAL);
  }

  @Test
  void slowPageIsWarningOrCriticalWebPageTooSlow() throws Exception {
    CheckResult warn =
        run(check(http(base() + "/slow", 200, null, Duration.ofMillis(50), null, null, null)));
    CheckResult crit =
        run(
            check(
                http(
                    base() + "/slow",
                    200,
                    null,
                    Duration.ofMillis(50),
                    Duration.ofMillis(100),
                    null,
                    null)));

    assertThat(warn.status()).isEqualTo(Status.WARNING);
    assertThat(warn.output())
        .startsWith("HTTP WARNING - 200 OK, 16 bytes in 0.")
        .endsWith(" s (warning 50ms)");
    assertThat(crit.status()).isEqualTo(Status.CRITICAL);
    assertThat(crit.output()).endsWith(" s (critical 100ms)");
    assertThat(crit.metrics().get(0).value()).isGreaterThanOrEqualTo(0.3);
    assertThat(crit.metrics().get(0).warn()).isEqualTo(0.05);
  }

  @Test
  void missingTextIsCritical() throws Exception {
    CheckResult r = run(check(http(base() + "/", null, "Goodbye", null, null, null, null)));
    assertThat(r.output()).startsWith("HTTP CRITICAL - 200 OK, \"Goodbye\" not found, 16 bytes");
  }

  @Test
  void redirectsAreAnswersUnlessFollowed() throws Exception {
    CheckResult plain = run(check(http(base() + "/moved", null, null, null, null, null, null)));
    CheckResult followed =
        run(check(http(base() + "/moved", 200, "Welcome", null, null, true, null)));

    assertThat(plain.output()).startsWith("HTTP OK - 301 Moved Permanently, 0 bytes");
    assertThat(followed.status()).isEqualTo(Status.OK);
    assertThat(followed.output()).contains("after redirect to " + base() + "/");
  }

  @Test
  void closedPortIsCritical() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    CheckResult h =
        run(check(http("http://127.0.0.1:" + closed + "/", null, null, null, null, null, null)));
    CheckResult t = run(new TcpCheck(new TcpConfig("127.0.0.1", closed, null, null)));

    assertThat(h.output())
        .isEqualTo("HTTP CRITICAL - connection refused (http://127.0.0.1:" + closed + "/)");
    assertThat(t.status()).isEqualTo(Status.CRITICAL);
    assertThat(t.output())
        .isEqualTo("TCP CRITICAL - connection refused by 127.0.0.1 port " + closed);
  }

  @Test
  void nearExpiryCertificate() throws Exception {
    String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/";
    CheckResult untrusted = run(check(http(url, null, null, null, null, null, null)));
    CheckResult r = run(check(http(url, 200, "secure", null, null, null, false)));

    assertThat(untrusted.status()).isEqualTo(Status.CRITICAL);
    assertThat(untrusted.output()).startsWith("HTTP CRITICAL - TLS failure: ");
    // 5 days left: within the default critical 7 days.
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .matches(
            "HTTP CRITICAL - 200 OK, 6 bytes in 0\\.\\d+ s, certificate expires in [45] days \\(\\d{4}-\\d\\d-\\d\\d\\)");
    HttpConfig lenient =
        new HttpConfig(
            URI.create(url),
            200,
            null,
            null,
            null,
            false,
            Duration.ofDays(4),
            Duration.ofDays(1),
            null,
            null);
    assertThat(run(new HttpCheck(lenient)).status()).isEqualTo(Status.OK);
    assertThat(r.metrics()).extracting(Metric::name).contains("tls_certificate_expiry_seconds");
  }

  @Test
  void tcpPortOpen() throws Exception {
    CheckResult r =
        run(
            new TcpCheck(
                new TcpConfig(
                    "127.0.0.1", http.getAddress().getPort(), null, Duration.ofSeconds(1))));
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .matches("TCP OK - 0\\.\\d{3} s response time on 127\\.0\\.0\\.1 port \\d+");
    assertThat(r.metrics().get(0).crit()).isEqualTo(1.0);
  }

  /** A one-connection server writing {@code greeting} and closing. */
  private static ServerSocket greeter(String greeting) throws IOException {
    ServerSocket s = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                  c.getOutputStream().write(greeting.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return s;
  }

  private static SshConfig ssh(int port) {
    return new SshConfig("127.0.0.1", port, null, null);
  }

  @Test
  void sshBanner() throws Exception {
    try (ServerSocket s = greeter("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
        ServerSocket smtp = greeter("220 mail.example.net ESMTP Postfix (Debian/GNU)\r\n")) {
      CheckResult ok = run(new SshCheck(ssh(s.getLocalPort())));
      CheckResult wrong = run(new SshCheck(ssh(smtp.getLocalPort())));

      assertThat(ok.status()).isEqualTo(Status.OK);
      assertThat(ok.output())
          .startsWith("SSH OK - SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3 (protocol 2.0) in 0.");
      assertThat(wrong.status()).isEqualTo(Status.CRITICAL);
      assertThat(wrong.output())
          .isEqualTo("SSH CRITICAL - no SSH banner from 127.0.0.1 port " + smtp.getLocalPort());
    }
  }

  private static PingConfig ping(String host) {
    return new PingConfig(host, null, null);
  }

  @Test
  void pingOverTcpSaysSo() throws Exception {
    CheckResult r = run(new PingCheck(ping("127.0.0.1"), PING, false));

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .matches(
            "PING OK - 127\\.0\\.0\\.1 answers TCP port 7 \\(connection refused\\) in 0\\.\\d{3} s;"
                + " no ICMP: the agent lacks CAP_NET_RAW");
  }

  @Test
  void pingOfANonRoutableAddressIsCritical() throws Exception {
    // 192.0.2.0/24 is TEST-NET-1: never routed. Some sandboxes answer every connect with a reset
    // on the host's behalf, which a TCP ping cannot tell from a live host.
    org.junit.jupiter.api.Assumptions.assumeFalse(
        refusedByTheNetwork("192.0.2.1"), "this network refuses connections to 192.0.2.1 itself");
    CheckResult r = run(new PingCheck(ping("192.0.2.1"), PING, false));
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .startsWith("PING CRITICAL - 192.0.2.1 does not answer on TCP ports 7, 22, 80 (");
  }

  private static boolean refusedByTheNetwork(String host) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, 7), 300);
      return true;
    } catch (java.net.ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void unknownHostIsCritical() throws Exception {
    CheckResult r = run(new PingCheck(ping("no-such-host.invalid"), PING, false));
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).isEqualTo("PING CRITICAL - unknown host no-such-host.invalid");
  }

  @Test
  void icmpWhenPermitted() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        PingCheck.mayUseIcmp(Path.of("/proc/self/status")), "needs CAP_NET_RAW for ICMP");
    CheckResult r = run(new PingCheck(ping("127.0.0.1"), PING));
    assertThat(r.output()).startsWith("PING OK - 127.0.0.1 answers ICMP echo in 0.");
  }

  @Test
  void capabilitiesFromProcSelfStatus() {
    assertThat(PingCheck.mayUseIcmp("Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n")).isTrue();
    assertThat(PingCheck.mayUseIcmp("Uid:\t108\t108\t108\t108\nCapEff:\t0000000000000000\n"))
        .isFalse();
    assertThat(PingCheck.mayUseIcmp("CapEff:\t0000000000002000\n")).isTrue();
  }

  @Test
  void remoteConfigValidation() {
    assertThatThrownBy(() -> new TcpConfig("db01", 70000, null, null))
        .hasMessageContaining("port: expected 1-65535, got 70000");
    assertThatThrownBy(() -> http("ftp://x/", null, null, null, null, null, null))
        .hasMessageContaining("\"ftp://x/\"");
    assertThatThrownBy(
            () ->
                http(base(), null, null, Duration.ofSeconds(2), Duration.ofSeconds(1), null, null))
        .hasMessageContaining("warning (2000ms) must be below critical (1000ms)");
  }
}
