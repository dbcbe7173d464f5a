package io.custos.collector.http;

import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.Tokens;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds who a request's {@code Authorization: Bearer <token>} belongs to by looking up the token's
 * SHA-256 in the store on every request (nothing is cached, so a token revoked by {@code
 * custos-collector token revoke}, even from another process, is refused from the next request on);
 * the token itself is never stored or logged. A missing, malformed or unknown token is a 401
 * carrying {@code WWW-Authenticate: Bearer}.
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

  private final Store store;
  private final Clock clock;

  /** Hash to when this collector last wrote the token's use. */
  private final Map<String, Long> touched = new ConcurrentHashMap<>();

  Authenticator(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  TokenOwner authenticate(Request request) throws HttpError {
    String header = request.header("Authorization");
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
