package io.custos.collector.http;

import java.nio.file.Path;

/**
 * Short-lived dashboard login links, {@code http://collector:8480/#login=SECRET}: the browser posts
 * the fragment to {@code POST /api/v1/session} ({@code {"link":"…"}}) and gets the session the
 * token would give, without the token being shown or pasted. A link names a token by its hash and
 * an expiry, signed with the collector's session key (the {@code .session-key} file beside its
 * SQLite store); it works any number of times until it expires, and stops when the token is revoked
 * or the key replaced. Collectors on PostgreSQL keep no key across starts, so links need SQLite.
 */
public final class LoginLinks {
  private LoginLinks() {}

  /**
   * The secret part of a link for the token with SHA-256 hash {@code tokenHash} (as {@link
   * io.custos.collector.store.Tokens} stores it), valid until {@code expires} epoch ms, signed with
   * the key in {@code keyFile} (created if absent, as the collector would).
   */
  public static String create(Path keyFile, String tokenHash, long expires) {
    return new Sessions(Sessions.loadOrCreateKey(keyFile), false).link(tokenHash, expires);
  }
}
