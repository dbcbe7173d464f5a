package io.custos.agent.ship;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the agent's TLS socket factory from PEM files: the CA bundle the collector's certificate
 * must chain to (else the JDK's system trust store) and, optionally, a client certificate chain
 * with its unencrypted PKCS#8 key (RSA or EC). Host names are verified as always by {@code
 * HttpsURLConnection}.
 */
public final class TlsFiles {
  private static final Pattern KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private TlsFiles() {}

  /**
   * The socket factory, or null when neither file is given (the JDK default is then used).
   *
   * @throws IOException naming the file when it cannot be read or is not what is expected
   */
  public static SSLSocketFactory socketFactory(Path caFile, Path certificate, Path key)
      throws IOException {
    if (caFile == null && certificate == null) {
      return null;
    }
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caFile == null) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : certificates(caFile)) {
          trust.setCertificateEntry("ca" + i++, c);
        }
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (certificate != null) {
        KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
        keys.load(null, null);
        List<Certificate> chain = certificates(certificate);
        keys.setKeyEntry("client", privateKey(key), new char[0], chain.toArray(new Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot set up TLS with ca_file "
              + caFile
              + ", certificate "
              + certificate
              + ", key "
              + key
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static List<Certificate> certificates(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      List<Certificate> out =
          new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (out.isEmpty()) {
        throw new IOException(pem + ": no PEM certificate found");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IOException(pem + ": not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path pem) throws IOException {
    Matcher m = KEY.matcher(Files.readString(pem, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new IOException(
          pem + ": expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(pem + ": not an RSA, EC or Ed25519 private key");
  }
}
