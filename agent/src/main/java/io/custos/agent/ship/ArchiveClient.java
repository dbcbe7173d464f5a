package io.custos.agent.ship;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The collector's archive store, from the agent's side ({@code docs/archive-store.md}, served under
 * {@code /api/v1/backups/{node}}): {@code HEAD} and {@code PUT} of an object, the node's catalog,
 * and {@code GET} of an object's bytes.
 *
 * <p>Bodies are streamed: an upload is sent from the file with fixed-length streaming (never held
 * in memory), a download is written to a file as it arrives, and both are hashed on the way and
 * checked against {@code X-Custos-Sha256}. Uses {@link HttpURLConnection} for the same reason and
 * with the same TLS settings as {@link HttpReportSender}.
 *
 * <p>Failure behaviour: a refused or broken connection is an {@link IOException}; an HTTP error
 * answer is an {@link HttpStatusException} carrying the status and the collector's message.
 */
public final class ArchiveClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);
  private static final int MAX_REPLY = 64 * 1024;
  private static final int BUFFER = 1 << 16;
  private static final int UPLOAD_BUFFER = 1 << 20;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final String base;
  private final String token;
  private final String userAgent;
  private final SSLSocketFactory tls;

  /**
   * @param collector base URL, e.g. {@code https://collector:8480}
   * @param token a bearer token: the node's for uploads, a restore or admin token for downloads
   * @param tls the socket factory for an https collector ({@link TlsFiles}), or null for the JDK's
   */
  public ArchiveClient(URI collector, String token, String userAgent, SSLSocketFactory tls) {
    this.base = collector.toString().replaceAll("/+$", "") + "/api/v1/backups/";
    this.token = token;
    this.userAgent = userAgent;
    this.tls = tls;
  }

  /** An HTTP error answer. */
  public static final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpStatusException(String what, int status, String body) {
      super(what + ": HTTP " + status + (body.isBlank() ? "" : ": " + body.strip()));
      this.status = status;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }
  }

  /**
   * An object as {@code HEAD} describes it.
   *
   * @param size bytes
   * @param sha256 hex
   */
  public record Stored(long size, String sha256) {}

  /**
   * One archive in the catalog, as the collector lists it.
   *
   * @param object the archive's object name ({@code ArchiveName} form)
   * @param set the set
   * @param level {@code full | diff | incr}
   * @param base the object it depends on, null for a full
   * @param created ISO-8601 UTC
   * @param size bytes
   * @param sha256 hex
   * @param encrypted {@code age | none}
   * @param manifest the manifest's object name
   * @param uploaded ISO-8601 UTC
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(
      String object,
      String set,
      String level,
      String base,
      String created,
      long size,
      String sha256,
      String encrypted,
      String manifest,
      String uploaded) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Page(String node, List<Entry> archives, int total) {}

  /**
   * {@code HEAD}: the object's size and sha256, or empty when the collector does not have it.
   *
   * @throws IOException on a connection failure or an answer other than 200/404
   */
  public Optional<Stored> head(String node, String object) throws IOException {
    HttpURLConnection c = open(node + "/" + object, "HEAD");
    try {
      int status = c.getResponseCode();
      if (status == 404) {
        return Optional.empty();
      }
      if (status != 200) {
        throw new HttpStatusException("HEAD " + object, status, readError(c));
      }
      return Optional.of(new Stored(c.getContentLengthLong(), c.getHeaderField("X-Custos-Sha256")));
    } finally {
      c.disconnect();
    }
  }

  /**
   * {@code PUT}s {@code file} as {@code object}, streamed from disk with its length and sha256
   * (read once before sending to compute it). A 200 "already there, same sha256" counts as done.
   *
   * @param index the {@code X-Custos-*} index headers (none for a manifest)
   * @return the sha256 sent
   * @throws HttpStatusException for 4xx/5xx (409: another object of that name exists)
   */
  public String put(String node, String object, Path file, Map<String, String> index)
      throws IOException {
    return put(node, object, file, index, null);
  }

  /**
   * As {@link #put(String, String, Path, Map)}, sending {@code knownSha256} (the sha256 the file
   * was written with, e.g. from its manifest) instead of reading the file an extra time to compute
   * it; the collector answers 400 when the bytes sent do not match it.
   *
   * @param knownSha256 hex sha256, or null to compute it
   */
  public String put(
      String node, String object, Path file, Map<String, String> index, String knownSha256)
      throws IOException {
    String sha = knownSha256 != null ? knownSha256 : sha256(file);
    long size = Files.size(file);
    HttpURLConnection c = open(node + "/" + object, "PUT");
    boolean answered = false;
    try {
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(size);
      c.setRequestProperty("Content-Type", "application/octet-stream");
      c.setRequestProperty("X-Custos-Sha256", sha);
      index.forEach(c::setRequestProperty);
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = c.getOutputStream()) {
        // 1 MiB writes: the socket sees large writes instead of transferTo's 16 KiB ones.
        byte[] buf = new byte[UPLOAD_BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
        }
      }
      int status = c.getResponseCode();
      if (status != 200 && status != 201) {
        throw new HttpStatusException("PUT " + object, status, readError(c));
      }
      try (InputStream r = c.getInputStream()) {
        r.readNBytes(MAX_REPLY);
      }
      answered = true;
      return sha;
    } finally {
      if (!answered) {
        c.disconnect();
      }
    }
  }

  /**
   * The catalog of {@code node}, newest first, every page; {@code set} null for all sets.
   *
   * @throws HttpStatusException for 4xx/5xx (403: the token may not read this node)
   */
  public List<Entry> catalog(String node, String set) throws IOException {
    List<Entry> all = new ArrayList<>();
    int limit = 500;
    while (true) {
      String q =
          "?limit="
              + limit
              + "&offset="
              + all.size()
              + (set == null ? "" : "&set=" + URLEncoder.encode(set, StandardCharsets.UTF_8));
      HttpURLConnection c = open(node + q, "GET");
      Page page;
      try {
        int status = c.getResponseCode();
        if (status != 200) {
          throw new HttpStatusException("catalog of " + node, status, readError(c));
        }
        try (InputStream in = c.getInputStream()) {
          page = JSON.readValue(in, Page.class);
        }
      } finally {
        c.disconnect();
      }
      List<Entry> got = page.archives() == null ? List.of() : page.archives();
      all.addAll(got);
      if (got.isEmpty() || all.size() >= page.total()) {
        return all;
      }
    }
  }

  /**
   * Downloads {@code object} into {@code target} (created, must not exist), streamed, and checks
   * its sha256 against the collector's {@code X-Custos-Sha256} and {@code expectedSha256} when
   * given; a mismatch deletes the file.
   *
   * @return the sha256 of the bytes received
   */
  public String download(String node, String object, Path target, String expectedSha256)
      throws IOException {
    HttpURLConnection c = open(node + "/" + object, "GET");
    try {
      int status = c.getResponseCode();
      if (status != 200) {
        throw new HttpStatusException("GET " + object, status, readError(c));
      }
      String announced = c.getHeaderField("X-Custos-Sha256");
      MessageDigest md = sha256();
      try (InputStream in = c.getInputStream();
          OutputStream out =
              Files.newOutputStream(
                  target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
          md.update(buf, 0, n);
          out.write(buf, 0, n);
        }
      }
      String got = HexFormat.of().formatHex(md.digest());
      for (String want : new String[] {announced, expectedSha256}) {
        if (want != null && !want.equalsIgnoreCase(got)) {
          Files.deleteIfExists(target);
          throw new IOException(
              "download of " + object + " is damaged: sha256 " + got + ", expected " + want);
        }
      }
      return got;
    } finally {
      c.disconnect();
    }
  }

  /** {@code client} as the {@link io.custos.agent.backup.Uploader}'s remote. */
  public static io.custos.agent.backup.Uploader.Remote remote(ArchiveClient client) {
    return new io.custos.agent.backup.Uploader.Remote() {
      @Override
      public Optional<String> sha256(String node, String object) throws IOException {
        return client.head(node, object).map(Stored::sha256);
      }

      @Override
      public void put(
          String node, String object, Path file, Map<String, String> index, String sha256)
          throws IOException {
        client.put(node, object, file, index, sha256);
      }
    };
  }

  /** The hex sha256 of a file. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) >= 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpURLConnection open(String path, String method) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
    if (tls != null && c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls);
    }
    c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    c.setReadTimeout((int) READ_TIMEOUT.toMillis());
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setRequestMethod(method);
    c.setRequestProperty("Authorization", "Bearer " + token);
    c.setRequestProperty("User-Agent", userAgent);
    return c;
  }

  private static String readError(HttpURLConnection c) {
    try (InputStream in = c.getErrorStream()) {
      return in == null ? "" : new String(in.readNBytes(MAX_REPLY), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
