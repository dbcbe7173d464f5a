package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code tls:} — serve HTTPS instead of HTTP on {@code listen}.
 *
 * <pre>{@code
 * tls:
 *   certificate: /etc/custos/tls/collector.pem   # PEM chain, server certificate first
 *   key: /etc/custos/tls/collector.key           # PEM, unencrypted PKCS#8 (BEGIN PRIVATE KEY)
 *   client_ca: /etc/custos/tls/agents-ca.pem     # optional: CA for client certificates
 *   client_certs: optional                       # none (default) | optional | require
 * }</pre>
 *
 * <p>The files are read and checked at start and by {@code check-config}, and again on reload;
 * {@code http.TlsContext#load(TlsSection)} builds the server context from this section.
 *
 * @param certificate PEM certificate chain
 * @param key PEM private key of the certificate
 * @param clientCa PEM CA bundle client certificates must chain to, or null
 * @param clientCerts {@code none}, {@code optional} or {@code require}
 */
public record TlsSection(
    String certificate,
    String key,
    @JsonProperty("client_ca") String clientCa,
    @JsonProperty("client_certs") String clientCerts) {

  public TlsSection {
    if (certificate == null || certificate.isBlank()) {
      throw new IllegalArgumentException("certificate: expected a PEM file path");
    }
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("key: expected a PEM file path");
    }
    clientCerts = clientCerts == null ? "none" : clientCerts.strip().toLowerCase(Locale.ROOT);
    if (!clientCerts.equals("none")
        && !clientCerts.equals("optional")
        && !clientCerts.equals("require")) {
      throw new IllegalArgumentException(
          "client_certs: expected none, optional or require, got \"" + clientCerts + "\"");
    }
    if (!clientCerts.equals("none") && clientCa == null) {
      throw new IllegalArgumentException("client_ca: needed when client_certs is " + clientCerts);
    }
  }

  /**
   * Checks that the files can be read now; that they hold a usable PEM chain and key is checked by
   * {@code http.TlsContext}, at start, on reload and by {@code check-config}.
   *
   * @throws IllegalArgumentException naming the key and the file that cannot be read
   */
  public void requireReadable() {
    requireReadable("tls.certificate", certificate);
    requireReadable("tls.key", key);
    if (clientCa != null) {
      requireReadable("tls.client_ca", clientCa);
    }
  }

  private static void requireReadable(String field, String file) {
    if (!Files.isReadable(Path.of(file))) {
      throw new IllegalArgumentException(field + ": cannot read " + file);
    }
  }
}
