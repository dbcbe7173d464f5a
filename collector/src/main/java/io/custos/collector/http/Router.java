package io.custos.collector.http;

import io.custos.collector.store.Role;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.StoreHealth;
import io.custos.collector.store.TokenOwner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps (method, exact path) to a handler and enforces who may call it. Unknown paths are 404, a
 * known path with another method is 405 with {@code Allow}, a missing or unknown token 401 with
 * {@code WWW-Authenticate: Bearer}, a token of the wrong role 403. {@link #dispatch} never throws:
 * a store failure is 503 and any other exception 500, logged, so one bad request cannot stop the
 * server. Store failures are logged through {@link StoreHealth}: once per kind, with a count.
 */
final class Router {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** Who may call a route. */
  enum Access {
    /** Anyone, no token. */
    PUBLIC,
    /** A node token. */
    NODE,
    /** An operator or admin token. */
    READ,
    /** An operator or admin token, for changes (acknowledgements, downtimes). */
    OPERATE,
    /** An admin token only (removing hosts). */
    ADMIN
  }

  private record Route(Access access, Handler handler) {}

  private final Map<String, Map<String, Route>> routes = new LinkedHashMap<>();
  private final Map<String, Map<String, Route>> prefixes = new LinkedHashMap<>();
  private final Authenticator auth;
  private final StoreHealth health;

  Router(Authenticator auth, StoreHealth health) {
    this.auth = auth;
    this.health = health;
  }

  /** Adds a route; returns this for chaining. */
  Router route(String method, String path, Access access, Handler handler) {
    routes
        .computeIfAbsent(path, p -> new LinkedHashMap<>())
        .put(method, new Route(access, handler));
    return this;
  }

  /**
   * Adds a route for every path under {@code prefix} (which ends in {@code /}), such as {@code
   * /api/v1/metrics/} for {@code /api/v1/metrics/{host}}; exact routes win. The handler reads the
   * rest of the path itself.
   */
  Router routePrefix(String method, String prefix, Access access, Handler handler) {
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("prefix must end in /, got " + prefix);
    }
    prefixes
        .computeIfAbsent(prefix, p -> new LinkedHashMap<>())
        .put(method, new Route(access, handler));
    return this;
  }

  private Map<String, Route> lookup(String path) {
    Map<String, Route> exact = routes.get(path);
    if (exact != null) {
      return exact;
    }
    Map<String, Route> best = null;
    int bestLength = -1;
    for (Map.Entry<String, Map<String, Route>> e : prefixes.entrySet()) {
      String p = e.getKey();
      if (path.startsWith(p) && path.length() > p.length() && p.length() > bestLength) {
        best = e.getValue();
        bestLength = p.length();
      }
    }
    return best;
  }

  /** Answers any request; never throws. */
  Response dispatch(Request request) {
    try {
      Map<String, Route> byMethod = lookup(request.path());
      if (byMethod == null) {
        // A route ending in /{id} serves any last path segment.
        int slash = request.path().lastIndexOf('/');
        byMethod = slash > 0 ? routes.get(request.path().substring(0, slash) + "/{id}") : null;
      }
      if (byMethod == null) {
        return Response.error(404, "no route " + request.path());
      }
      Route route = byMethod.get(request.method());
      if (route == null) {
        String allow = String.join(", ", new TreeSet<>(byMethod.keySet()));
        return Response.error(
                405,
                "method "
                    + request.method()
                    + " not allowed on "
                    + request.path()
                    + "; use "
                    + allow)
            .withHeader("Allow", allow);
      }
      TokenOwner caller = route.access() == Access.PUBLIC ? null : authorize(request, route);
      Response response = route.handler().handle(request, caller);
      if (route.access() == Access.NODE) {
        health.writeSucceeded();
      }
      return response;
    } catch (HttpError e) {
      return e.toResponse();
    } catch (StoreException e) {
      health.failed(request.method() + " " + request.path(), e);
      return Response.error(503, "store unavailable, see the collector log")
          .withHeader("Retry-After", "10");
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", request.method(), request.path(), e);
      return Response.error(500, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private TokenOwner authorize(Request request, Route route) throws HttpError {
    TokenOwner caller = auth.authenticate(request);
    if (route.access() == Access.NODE && caller.node() == null) {
      throw new HttpError(
          403, "an " + caller.role().id() + " token may not post reports; use a node token");
    }
    if (route.access() == Access.OPERATE && !caller.role().canRead()) {
      throw new HttpError(
          403,
          caller.describe()
              + " may not "
              + request.method()
              + " "
              + request.path()
              + "; use an operator token");
    }
    if (route.access() == Access.ADMIN && caller.role() != Role.ADMIN) {
      throw new HttpError(
          403,
          caller.describe()
              + " may not "
              + request.method()
              + " "
              + request.path()
              + "; use an admin token");
    }
    if (route.access() == Access.READ && !caller.role().canRead()) {
      throw new HttpError(
          403, caller.describe() + " may not read " + request.path() + "; use an operator token");
    }
    return caller;
  }
}
