package io.custos.collector.http;

import io.custos.collector.config.TlsSection;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context, built by Netty's {@link SslContextBuilder} from PEM files: a
 * certificate chain (server certificate first) and its unencrypted PKCS#8 private key ({@code
 * -----BEGIN PRIVATE KEY-----}), optionally a CA bundle that client certificates must chain to.
 * {@link #reload} re-reads the files (after a certificate renewal, on SIGHUP): connections opened
 * afterwards get the new context, open ones keep theirs, and a reload that fails keeps the old one.
 * Thread-safe.
 */
public final class TlsContext {
  private static final Logger LOG = LoggerFactory.getLogger(TlsContext.class);

  /** Whether and how clients present certificates. */
  public enum ClientCerts {
    /** No client certificate is asked for. */
    NONE,
    /** Asked for; a client without one is still served (its token decides). */
    OPTIONAL,
    /** Required: the TLS handshake fails without a certificate issued by the client CA. */
    REQUIRE
  }

  private volatile Path certificate;
  private volatile Path key;
  private volatile Path clientCa;
  private volatile ClientCerts clientCerts;
  private volatile SslContext context;

  private TlsContext(Path certificate, Path key, Path clientCa, ClientCerts clientCerts) {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.key = Objects.requireNonNull(key, "key");
    this.clientCa = clientCa;
    this.clientCerts = clientCerts;
  }

  /**
   * Reads the files a {@code tls:} section names and builds the context.
   *
   * @throws IllegalArgumentException as {@link #load(Path, Path, Path, ClientCerts)}
   */
  public static TlsContext load(TlsSection section) {
    return load(
        Path.of(section.certificate()),
        Path.of(section.key()),
        section.clientCa() == null ? null : Path.of(section.clientCa()),
        ClientCerts.valueOf(section.clientCerts().toUpperCase(Locale.ROOT)));
  }

  /**
   * Reads the PEM files and builds the context.
   *
   * @param clientCa CA bundle (PEM) for client certificates; required unless {@code clientCerts} is
   *     {@link ClientCerts#NONE}
   * @throws IllegalArgumentException naming the file and the reason when a file is missing,
   *     unreadable, not PEM, or the key does not match the certificate
   */
  public static TlsContext load(
      Path certificate, Path key, Path clientCa, ClientCerts clientCerts) {
    if (clientCerts != ClientCerts.NONE && clientCa == null) {
      throw new IllegalArgumentException(
          "tls.client_ca: needed when tls.client_certs is " + clientCerts.name().toLowerCase());
    }
    TlsContext t = new TlsContext(certificate, key, clientCa, clientCerts);
    t.context = t.build();
    return t;
  }

  /**
   * Re-reads the files; on success new connections use the new certificate.
   *
   * @throws IllegalArgumentException as {@link #load}; the previous context stays in use
   */
  public synchronized void reload() {
    context = build();
    LOG.info("TLS certificate reloaded from {}", certificate);
  }

  /**
   * Takes over {@code other}'s files and context (a reloaded configuration naming other files); new
   * connections use it from now on.
   */
  public synchronized void replaceWith(TlsContext other) {
    certificate = other.certificate;
    key = other.key;
    clientCa = other.clientCa;
    clientCerts = other.clientCerts;
    context = other.context;
    LOG.info("TLS now uses {}", describe());
  }

  private SslContext build() {
    requireReadable("tls.certificate", certificate);
    requireReadable("tls.key", key);
    if (clientCa != null) {
      requireReadable("tls.client_ca", clientCa);
    }
    SslContextBuilder b;
    try {
      b = SslContextBuilder.forServer(certificate.toFile(), key.toFile());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tls: cannot use certificate "
              + certificate
              + " with key "
              + key
              + " (PEM certificate chain and unencrypted PKCS#8 key expected): "
              + rootMessage(e),
          e);
    }
    if (clientCerts != ClientCerts.NONE) {
      b.trustManager(clientCa.toFile())
          .clientAuth(
              clientCerts == ClientCerts.REQUIRE ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    }
    try {
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tls: cannot build a TLS context from "
              + certificate
              + ", "
              + key
              + (clientCa == null ? "" : " and " + clientCa)
              + ": "
              + rootMessage(e),
          e);
    }
  }

  private static void requireReadable(String field, Path file) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(field + ": cannot read " + file);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** A handler for one new connection, using the context current now. */
  SslHandler newHandler(ByteBufAllocator alloc) {
    return context.newHandler(alloc);
  }

  /** What this is, for logs. */
  public String describe() {
    return "TLS with "
        + certificate
        + (clientCerts == ClientCerts.NONE
            ? ""
            : ", client certificates " + clientCerts.name().toLowerCase());
  }
}
