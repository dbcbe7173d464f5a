package io.custos.collector.http;

import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.Tokens;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds who a request's {@code Authorization: Bearer <token>} (or, without that header, its {@link
 * Sessions session cookie}) belongs to by looking up the token's SHA-256 in the store on every
 * request (nothing is cached, so a token revoked by {@code custos-collector token revoke}, even
 * from another process, is refused from the next request on); the token itself is never stored or
 * logged. A missing, malformed or unknown token is a 401 carrying {@code WWW-Authenticate: Bearer}.
 * A session cookie is checked the same way (the token it names must still exist), is 401 when
 * forged or idled out, and a state-changing request (POST, PUT, DELETE, PATCH) made with it is 403
 * unless it carries the session's {@code X-CSRF-Token}.
 *
 * <p>A token's last use is written to the store at most once every {@value #TOUCH_EVERY_MS} ms per
 * token, so that {@code token list} can say which tokens are still in use without a write per
 * request; a failure to write it is logged and does not fail the request.
 */
final class Authenticator {
  static final long TOUCH_EVERY_MS = 60_000;

  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final Map<String, String> CHALLENGE =
      Map.of("WWW-Authenticate", "Bearer realm=\"custos\"");

  private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "DELETE", "PATCH");

  private final Store store;
  private final Clock clock;
  private final Sessions sessions;

  /** Hash to when this collector last wrote the token's use. */
  private final Map<String, Long> touched = new ConcurrentHashMap<>();

  Authenticator(Store store, Clock clock) {
    this(store, clock, Sessions.ephemeral(false));
  }

  Authenticator(Store store, Clock clock, Sessions sessions) {
    this.store = store;
    this.clock = clock;
    this.sessions = sessions;
  }

  TokenOwner authenticate(Request request) throws HttpError {
    String header = request.header("Authorization");
    String cookie = Sessions.cookieValue(request.header("Cookie"));
    if ((header == null || header.isBlank()) && cookie != null) {
      return fromSession(request, cookie);
    }
    if (header == null || header.isBlank()) {
      throw new HttpError(401, "missing Authorization: Bearer <token> header", CHALLENGE);
    }
    String h = header.strip();
    if (h.length() < 7 || !h.substring(0, 7).equalsIgnoreCase("Bearer ")) {
      throw new HttpError(401, "Authorization header must be \"Bearer <token>\"", CHALLENGE);
    }
    String hash = Tokens.hash(h.substring(7).strip());
    TokenOwner owner =
        store
            .findToken(hash)
            .orElseThrow(() -> new HttpError(401, "unknown or revoked token", CHALLENGE));
    touch(hash);
    return owner;
  }

  private TokenOwner fromSession(Request request, String cookie) throws HttpError {
    Sessions.Session s = sessions.parse(cookie);
    if (s == null) {
      throw new HttpError(401, "session cookie is not valid; log in again", CHALLENGE);
    }
    TokenOwner owner =
        store
            .findToken(s.tokenHash())
            .orElseThrow(
                () -> new HttpError(401, "session ended: its token was revoked", CHALLENGE));
    if (Sessions.idledOut(s, owner.role(), clock.millis())) {
      throw new HttpError(401, "session expired after 12 h without use; log in again", CHALLENGE);
    }
    if (STATE_CHANGING.contains(request.method())
        && !sessions.csrfMatches(s, request.header(Sessions.CSRF_HEADER))) {
      throw new HttpError(
          403,
          request.method()
              + " with a session cookie needs the session's "
              + Sessions.CSRF_HEADER
              + " header (GET /api/v1/session gives it)");
    }
    touch(s.tokenHash());
    return owner;
  }

  /**
   * The {@code Set-Cookie} value renewing the session of a request authenticated by its cookie (its
   * last use moved to now), or null when none is due or the request used a bearer token.
   */
  String renewal(Request request) {
    String header = request.header("Authorization");
    if (header != null && !header.isBlank()) {
      return null;
    }
    Sessions.Session s = sessions.parse(Sessions.cookieValue(request.header("Cookie")));
    if (s == null) {
      return null;
    }
    String value = sessions.refreshed(s, clock.millis());
    return value == null ? null : sessions.setCookie(value);
  }

  Sessions sessions() {
    return sessions;
  }

  private void touch(String hash) {
    long now = clock.millis();
    Long last = touched.get(hash);
    if (last != null && now - last < TOUCH_EVERY_MS && now >= last) {
      return;
    }
    touched.put(hash, now);
    try {
      store.touchToken(hash, now);
    } catch (StoreException e) {
      LOG.debug("cannot record the use of a token: {}", e.getMessage());
    }
  }
}
