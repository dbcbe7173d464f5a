package io.custos.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.config.CollectorConfig;
import io.custos.common.config.ConfigException;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on {@code listen}, with certificates made in the test by Netty's SelfSignedCertificate. */
class CollectorTlsTest {
  @TempDir Path dir;
  Collector collector;

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  // Making a key pair takes a while; each name is made once for the class.
  static final Map<String, SelfSignedCertificate> MADE = new ConcurrentHashMap<>();

  @AfterAll
  static void deleteMade() {
    MADE.values().forEach(SelfSignedCertificate::delete);
  }

  /** A certificate for localhost, as PEM files in the test's directory. */
  Path[] certificate(String name) throws Exception {
    SelfSignedCertificate ssc = MADE.get(name);
    if (ssc == null) {
      ssc = new SelfSignedCertificate("localhost");
      MADE.put(name, ssc);
    }
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    Files.copy(ssc.certificate().toPath(), cert);
    Files.copy(ssc.privateKey().toPath(), key);
    return new Path[] {cert, key};
  }

  CollectorConfig config(String tls) throws ConfigException {
    return CollectorConfig.parse(
        "listen: 127.0.0.1:0\nstore: { sqlite: " + dir.resolve("c.db") + " }\n" + tls, "test");
  }

  static HttpClient trusting(Path cert) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      ks.setCertificateEntry("c", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
  }

  HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + collector.port() + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttpsWithThePemCertificateAndKey() throws Exception {
    Path[] c = certificate("a");
    collector =
        Collector.start(
            config("tls: { certificate: " + c[0] + ", key: " + c[1] + " }"), Clock.systemUTC());

    HttpResponse<String> r = get(trusting(c[0]), "/healthz");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    // Issue 21: a browser that once reached the collector over HTTPS must not fall back to HTTP.
    assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    HttpResponse<String> refused = get(trusting(c[0]), "/api/v1/hosts");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Strict-Transport-Security"))
        .hasValue("max-age=31536000");
  }

  @Test
  void reloadServesTheRenewedCertificateToNewConnections() throws Exception {
    Path[] c = certificate("a");
    collector =
        Collector.start(
            config("tls: { certificate: " + c[0] + ", key: " + c[1] + " }"), Clock.systemUTC());
    Path[] renewed = certificate("b");
    Files.copy(renewed[0], c[0], java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(renewed[1], c[1], java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    collector.reloadTls();

    HttpResponse<String> r = get(trusting(renewed[0]), "/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    SSLSession session = r.sslSession().orElseThrow();
    assertThat(((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber())
        .isEqualTo(serial(renewed[0]));
  }

  @Test
  void aReloadWithABrokenKeyKeepsTheOldCertificate() throws Exception {
    Path[] c = certificate("a");
    collector =
        Collector.start(
            config("tls: { certificate: " + c[0] + ", key: " + c[1] + " }"), Clock.systemUTC());
    Files.writeString(c[1], "not a key\n");

    assertThatThrownBy(collector::reloadTls)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(c[1].toString());
    Path[] original = {dir.resolve("a.pem")};
    assertThat(get(trusting(original[0]), "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void aRequiredClientCertificateIsEnforced() throws Exception {
    Path[] c = certificate("a");
    Path[] ca = certificate("clients");
    collector =
        Collector.start(
            config(
                "tls: { certificate: "
                    + c[0]
                    + ", key: "
                    + c[1]
                    + ", client_ca: "
                    + ca[0]
                    + ", client_certs: require }"),
            Clock.systemUTC());

    assertThatThrownBy(() -> get(trusting(c[0]), "/healthz"))
        .isInstanceOfAny(SSLHandshakeException.class, IOException.class);
  }

  @Test
  void aMissingKeyFileIsAConfigErrorNamingIt() {
    assertThatThrownBy(
            () ->
                config(
                    "tls: { certificate: "
                        + dir.resolve("none.pem")
                        + ", key: "
                        + dir.resolve("none.key")
                        + " }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.certificate: cannot read " + dir.resolve("none.pem"));
  }

  static java.math.BigInteger serial(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
      return ((X509Certificate) c).getSerialNumber();
    }
  }
}
