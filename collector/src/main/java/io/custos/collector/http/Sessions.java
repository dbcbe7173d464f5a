package io.custos.collector.http;

import io.custos.collector.store.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Browser sessions as signed cookies, so that nothing is stored per session and a session survives
 * a collector restart: {@code custos_session=<token sha256>.<issued ms>.<last use ms>.<mac>}, the
 * MAC an HMAC-SHA256 (RFC 2104) of the first three fields under the collector's session key. The
 * cookie names the token by its hash, so the {@link Authenticator} looks the token up on every
 * request and a revoked token's sessions end at once; the CSRF token is an HMAC of the token hash
 * and the issue time, so it stays the same for the whole session.
 *
 * <p>Operator and admin sessions end after {@value #IDLE_MS} ms without a request; the cookie is
 * re-issued with a new last-use time at most every {@value #REFRESH_MS} ms. Viewer sessions (the
 * wall screen) never idle out. Cookies are {@code HttpOnly; SameSite=Strict; Path=/}, plus {@code
 * Secure} when the collector serves HTTPS.
 *
 * <p>Logging out ends the session on the server too: its (token hash, issue time) goes into a list
 * of ended sessions, kept in a file beside the key ({@code <key file>.ended}, one {@code <token
 * sha256> <issued ms>} per line) so a copy of the cookie replayed after logout, even after a
 * restart, is refused like a forged one.
 */
final class Sessions {
  static final String COOKIE = "custos_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final long IDLE_MS = 12 * 3_600_000L;
  static final long REFRESH_MS = 5 * 60_000L;

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final int KEY_BYTES = 32;

  /** A valid, unexpired-by-signature session: which token, when issued and last used. */
  record Session(String tokenHash, long issued, long lastUse) {}

  private final byte[] key;
  private final boolean secure;
  private final Path endedFile;
  private final Set<String> ended = ConcurrentHashMap.newKeySet();

  /** Sessions whose ended list lives only in memory (tests, PostgreSQL collectors). */
  Sessions(byte[] key, boolean secure) {
    this(key, secure, null);
  }

  /**
   * @param endedFile where ended sessions are kept across restarts (read now if it exists), or null
   *     to keep them in memory only
   * @throws UncheckedIOException naming the file when it exists but cannot be read
   */
  Sessions(byte[] key, boolean secure, Path endedFile) {
    if (key.length < 16) {
      throw new IllegalArgumentException("session key must have at least 16 bytes");
    }
    this.key = key.clone();
    this.secure = secure;
    this.endedFile = endedFile;
    if (endedFile != null && Files.exists(endedFile)) {
      try {
        for (String line : Files.readAllLines(endedFile, StandardCharsets.US_ASCII)) {
          String[] p = line.strip().split(" ");
          if (p.length == 2 && HASH.matcher(p[0]).matches()) {
            ended.add(p[0] + "." + p[1]);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the ended sessions " + endedFile + ": " + e, e);
      }
    }
  }

  /**
   * Ends {@code s} for good: its cookie, and every copy of it, is refused from now on.
   *
   * @throws UncheckedIOException naming the file when the end cannot be recorded (the session then
   *     still ends in this process)
   */
  void end(Session s) {
    String id = s.tokenHash() + "." + s.issued();
    if (!ended.add(id) || endedFile == null) {
      return;
    }
    try {
      synchronized (this) {
        if (!Files.exists(endedFile)) {
          try {
            Files.createFile(
                endedFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          } catch (FileAlreadyExistsException e) {
            // made meanwhile; append to it
          }
        }
        Files.writeString(
            endedFile,
            s.tokenHash() + " " + s.issued() + "\n",
            StandardCharsets.US_ASCII,
            StandardOpenOption.APPEND,
            StandardOpenOption.SYNC);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record a logout in " + endedFile + ": " + e, e);
    }
  }

  /** Sessions under a random key: they end when the collector stops. */
  static Sessions ephemeral(boolean secure) {
    byte[] k = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(k);
    return new Sessions(k, secure);
  }

  /**
   * The key in {@code file}, created (mode 0600, {@value #KEY_BYTES} random bytes, hex) when
   * absent.
   *
   * @throws UncheckedIOException naming the file when it cannot be read or written
   * @throws IllegalArgumentException naming the file when it does not hold a hex key
   */
  static byte[] loadOrCreateKey(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] k = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(k);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
          Files.createFile(
              tmp,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
          Files.createFile(tmp);
        }
        Files.writeString(tmp, HexFormat.of().formatHex(k) + "\n");
        try {
          Files.move(tmp, file);
        } catch (FileAlreadyExistsException e) {
          Files.delete(tmp); // another process made it first; use theirs
        }
      }
      String text = Files.readString(file).strip();
      try {
        byte[] k = HexFormat.of().parseHex(text);
        if (k.length >= 16) {
          return k;
        }
      } catch (IllegalArgumentException e) {
        // fall through to the message below
      }
      throw new IllegalArgumentException(
          file + ": expected a session key of at least 32 hex digits; delete it to make a new one");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the session key " + file + ": " + e, e);
    }
  }

  /** A new cookie value for the token with hash {@code tokenHash}. */
  String issue(String tokenHash, long now) {
    return sign(tokenHash, now, now);
  }

  private String sign(String tokenHash, long issued, long lastUse) {
    String payload = tokenHash + "." + issued + "." + lastUse;
    return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(payload));
  }

  /**
   * A login link's secret part for the token with hash {@code tokenHash}, valid until {@code
   * expires} (epoch ms): {@code <hash>.<expires>.<HMAC-SHA256 of "link.<hash>.<expires">}, so it
   * can never pass for a cookie, nor a cookie for it.
   */
  String link(String tokenHash, long expires) {
    String payload = tokenHash + "." + expires;
    return payload
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(mac("link." + payload));
  }

  /** The token hash of a login link still valid at {@code now}, or null. */
  String linkTokenHash(String link, long now) {
    if (link == null) {
      return null;
    }
    String[] p = link.split("\\.", -1);
    if (p.length != 3 || !HASH.matcher(p[0]).matches()) {
      return null;
    }
    byte[] given;
    long expires;
    try {
      given = Base64.getUrlDecoder().decode(p[2]);
      expires = Long.parseLong(p[1]);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!MessageDigest.isEqual(given, mac("link." + p[0] + "." + p[1])) || now >= expires) {
      return null;
    }
    return p[0];
  }

  /** The session in a cookie value, or null when it is malformed or its signature is wrong. */
  Session parse(String value) {
    if (value == null) {
      return null;
    }
    String[] p = value.split("\\.", -1);
    if (p.length != 4 || !HASH.matcher(p[0]).matches()) {
      return null;
    }
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(p[3]);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!MessageDigest.isEqual(given, mac(p[0] + "." + p[1] + "." + p[2]))) {
      return null;
    }
    if (ended.contains(p[0] + "." + p[1])) {
      return null; // logged out
    }
    try {
      return new Session(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether a session of {@code role} last used at {@code s.lastUse()} is over at {@code now}. */
  static boolean idledOut(Session s, Role role, long now) {
    return role != Role.VIEWER && now - s.lastUse() > IDLE_MS;
  }

  /** A re-issued cookie value with last use {@code now}, or null when the current one will do. */
  String refreshed(Session s, long now) {
    return now - s.lastUse() >= REFRESH_MS ? sign(s.tokenHash(), s.issued(), now) : null;
  }

  /** The session's CSRF token: hex, the same for the whole session. */
  String csrf(Session s) {
    return HexFormat.of().formatHex(mac("csrf." + s.tokenHash() + "." + s.issued()));
  }

  /** Whether {@code header} is the session's CSRF token (compared in constant time). */
  /** Whether the cookies are for HTTPS only (the collector serves TLS). */
  boolean secure() {
    return secure;
  }

  boolean csrfMatches(Session s, String header) {
    return header != null
        && MessageDigest.isEqual(
            csrf(s).getBytes(StandardCharsets.US_ASCII),
            header.strip().getBytes(StandardCharsets.US_ASCII));
  }

  /** The {@code Set-Cookie} value that stores {@code value}. */
  String setCookie(String value) {
    return COOKIE
        + "="
        + value
        + "; Path=/; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} value that removes the cookie. */
  String clearCookie() {
    return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** The value of cookie {@value #COOKIE} in a {@code Cookie} header, or null. */
  static String cookieValue(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    // Several Cookie headers arrive joined by ", " (see Request); cookie values hold no comma.
    for (String part : cookieHeader.split("[;,]")) {
      String c = part.strip();
      if (c.startsWith(COOKIE + "=")) {
        return c.substring(COOKIE.length() + 1);
      }
    }
    return null;
  }

  private byte[] mac(String payload) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256", e);
    }
  }
}
