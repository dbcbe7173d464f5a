package io.custos.collector.http;

import io.custos.collector.store.Store;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.Tokens;
import java.util.Map;

/**
 * Finds who a request's {@code Authorization: Bearer <token>} belongs to by looking up the token's
 * SHA-256 in the store; the token itself is never stored or logged. A missing, malformed or unknown
 * token is a 401 carrying {@code WWW-Authenticate: Bearer}.
 */
final class Authenticator {
  private static final Map<String, String> CHALLENGE =
      Map.of("WWW-Authenticate", "Bearer realm=\"custos\"");

  private final Store store;

  Authenticator(Store store) {
    this.store = store;
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
    String token = h.substring(7).strip();
    return store
        .findToken(Tokens.hash(token))
        .orElseThrow(() -> new HttpError(401, "unknown or revoked token", CHALLENGE));
  }
}
