package io.custos.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.custos.agent.config.AgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collector.url: https://…} with {@code ca_file} and a client certificate, against the JDK's
 * own HTTPS server on loopback, with key pairs made by the JDK's {@code keytool} in the test.
 */
class HttpReportSenderTlsTest {
  @TempDir Path dir;
  HttpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A key pair for {@code cn}, as a PKCS#12 store plus PEM certificate and PKCS#8 key files. */
  record Pair(Path p12, Path cert, Path key) {}

  Pair pair(String name) throws Exception {
    Path p12 = dir.resolve(name + ".p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "k",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                p12.toString(),
                "-storepass",
                "secret",
                "-storetype",
                "PKCS12")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "secret".toCharArray());
    }
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("k").getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", ks.getKey("k", "secret".toCharArray()).getEncoded()));
    return new Pair(p12, cert, key);
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  void serve(Pair server, Pair clientCa) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(server.p12())) {
      ks.load(in, "secret".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "secret".toCharArray());
    TrustManagerFactory tmf = null;
    if (clientCa != null) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(clientCa.p12())) {
        trust.load(in, "secret".toCharArray());
      }
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    this.server.setHttpsConfigurator(
        new HttpsConfigurator(ctx) {
          @Override
          public void configure(HttpsParameters params) {
            // Set on the SSLParameters: once they are given, HttpsParameters' own setters count
            // for nothing.
            javax.net.ssl.SSLParameters p = ctx.getDefaultSSLParameters();
            p.setNeedClientAuth(clientCa != null);
            params.setSSLParameters(p);
          }
        });
    this.server.createContext(
        "/api/v1/reports",
        ex -> {
          ex.getRequestBody().readAllBytes();
          byte[] body = "{\"stored\":true,\"seq\":1}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    this.server.start();
  }

  URI url() {
    return URI.create("https://localhost:" + server.getAddress().getPort());
  }

  @Test
  void anHttpsCollectorIsVerifiedAgainstTheCaFile() throws Exception {
    Pair collector = pair("collector");
    serve(collector, null);

    HttpReportSender sender =
        HttpReportSender.of(
            new AgentConfig.Collector(url(), null, collector.cert(), null, null), "t", "test/1");

    assertThat(sender.send("{}".getBytes()).status()).isEqualTo(200);
  }

  @Test
  void aCollectorCertificateNotInTheSystemTrustStoreIsRefused() throws Exception {
    serve(pair("collector"), null);

    HttpReportSender sender =
        HttpReportSender.of(new AgentConfig.Collector(url(), null), "t", "test/1");

    assertThatThrownBy(() -> sender.send("{}".getBytes())).isInstanceOf(IOException.class);
  }

  @Test
  void aClientCertificateIsPresentedWhenTheCollectorRequiresOne() throws Exception {
    Pair collector = pair("collector");
    Pair agent = pair("agent");
    serve(collector, agent);

    HttpReportSender with =
        HttpReportSender.of(
            new AgentConfig.Collector(url(), null, collector.cert(), agent.cert(), agent.key()),
            "t",
            "test/1");
    HttpReportSender without =
        HttpReportSender.of(
            new AgentConfig.Collector(url(), null, collector.cert(), null, null), "t", "test/1");

    // Without first: a kept-alive connection of the other would be reused.
    assertThatThrownBy(() -> without.send("{}".getBytes())).isInstanceOf(IOException.class);
    assertThat(with.send("{}".getBytes()).status()).isEqualTo(200);
  }

  @Test
  void aKeyThatIsNotPkcs8IsRefusedNamingTheFile() throws Exception {
    Pair collector = pair("collector");
    Path bad = dir.resolve("bad.key");
    Files.writeString(
        bad, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(
            () ->
                HttpReportSender.of(
                    new AgentConfig.Collector(
                        URI.create("https://localhost:1"), null, null, collector.cert(), bad),
                    "t",
                    "test/1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("PKCS#8");
  }
}
