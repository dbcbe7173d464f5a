package io.custos.collector.http;

import io.custos.collector.store.Role;
import io.custos.collector.store.Store;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.TokenRecord;
import io.custos.collector.store.Tokens;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's login, {@code /api/v1/session}; see {@link Sessions} for the cookie.
 *
 * <ul>
 *   <li>{@code POST} with {@code {"token":"cst_…"}} as {@code Content-Type: application/json} (else
 *       415) and {@code Origin} this collector's own (else 403, login CSRF), no other credential:
 *       200 {@code {"role":"viewer|operator|admin","csrf":"<hex>","name":"<token id>"}} and {@code
 *       Set-Cookie: custos_session=…; Path=/; HttpOnly; SameSite=Strict}. An unknown or revoked
 *       token is 401, a node token 403 (nodes do not use the dashboard), no {@code token} 400. With
 *       {@code {"link":"…"}} instead, the secret of a login link ({@link LoginLinks}), under the
 *       same two checks: the session of the token the link names, 401 when the link is expired,
 *       forged or its token revoked.
 *   <li>{@code GET}: the same body for the request's session, or 401 without a valid one.
 *   <li>{@code DELETE} (with the session's {@code X-CSRF-Token}): 204 and the cookie cleared.
 * </ul>
 */
final class SessionHandler {
  private final Store store;
  private final Sessions sessions;
  private final Clock clock;

  SessionHandler(Store store, Sessions sessions, Clock clock) {
    this.store = store;
    this.sessions = sessions;
    this.clock = clock;
  }

  /** {@code POST /api/v1/session}: logs in with a token. */
  Response login(Request request, TokenOwner none) throws HttpError {
    checkNotCrossSite(request);
    BodyFields f = BodyFields.parse(request, "token", "link");
    String hash;
    if (f.get("link") != null && f.get("token") == null) {
      hash = sessions.linkTokenHash(f.get("link").strip(), clock.millis());
      if (hash == null) {
        throw new HttpError(401, "login link expired or not valid; ask for a new one");
      }
    } else {
      hash = Tokens.hash(f.require("token").strip());
    }
    TokenOwner owner =
        store.findToken(hash).orElseThrow(() -> new HttpError(401, "unknown or revoked token"));
    if (owner.role() == Role.NODE) {
      throw new HttpError(
          403, owner.describe() + " cannot open a dashboard session; use a viewer token");
    }
    String value = sessions.issue(hash, clock.millis());
    return Response.json(200, body(owner, sessions.parse(value)))
        .withHeader("Set-Cookie", sessions.setCookie(value))
        .withHeader("Cache-Control", "no-store");
  }

  /**
   * Login CSRF: a foreign page must not swap an operator's session for one of its own. A browser
   * sends a cross-site {@code application/json} POST only after a CORS preflight, which the
   * collector never grants, and names the page's origin in {@code Origin} on every POST; so the
   * body must be declared JSON and {@code Origin} must be this collector ({@code http(s)://} and
   * the request's {@code Host}).
   */
  private void checkNotCrossSite(Request request) throws HttpError {
    String type = request.header("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].strip();
    if (!media.equalsIgnoreCase("application/json")) {
      throw new HttpError(
          415,
          "Content-Type: expected application/json, got "
              + (type == null ? "none" : "\"" + type + "\""));
    }
    String origin = request.header("Origin");
    String host = request.header("Host");
    String expected = (sessions.secure() ? "https://" : "http://") + host;
    if (origin == null || host == null || !origin.equalsIgnoreCase(expected)) {
      throw new HttpError(
          403,
          "Origin: expected "
              + expected
              + " (a login from this collector's own page), got "
              + (origin == null ? "none" : "\"" + origin + "\""));
    }
  }

  /** {@code GET /api/v1/session}: who the session cookie belongs to. */
  Response current(Request request, TokenOwner none) throws HttpError {
    Sessions.Session s = sessions.parse(Sessions.cookieValue(request.header("Cookie")));
    if (s == null) {
      throw new HttpError(401, "no session; POST /api/v1/session with a token");
    }
    TokenOwner owner =
        store
            .findToken(s.tokenHash())
            .orElseThrow(() -> new HttpError(401, "session ended: its token was revoked"));
    if (Sessions.idledOut(s, owner.role(), clock.millis())) {
      throw new HttpError(401, "session expired after 12 h without use; log in again");
    }
    return Response.json(200, body(owner, s)).withHeader("Cache-Control", "no-store");
  }

  /** {@code DELETE /api/v1/session}: logs out. */
  Response logout(Request request, TokenOwner caller) {
    Sessions.Session s = sessions.parse(Sessions.cookieValue(request.header("Cookie")));
    if (s != null) {
      sessions.end(s); // a copy of the cookie must not outlive the logout
    }
    return new Response(204, Response.JSON, Map.of(), new byte[0])
        .withHeader("Set-Cookie", sessions.clearCookie());
  }

  private Map<String, Object> body(TokenOwner owner, Sessions.Session s) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("role", owner.role().id());
    body.put("csrf", sessions.csrf(s));
    body.put("name", TokenRecord.idOf(s.tokenHash()));
    return body;
  }
}
