package io.custos.collector.http;

import io.custos.collector.store.Role;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.StoreHealth;
import io.custos.collector.store.TokenOwner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps (method, path template) to a handler and enforces who may call it. A template is a path
 * whose segments are literals or {@code {name}} placeholders ({@code /api/v1/hosts/{host}}); a
 * placeholder matches exactly one non-empty decoded segment (which may contain an encoded {@code
 * /}), and the handler reads it with {@link Request#param}. Where several templates match, the one
 * with a literal at the first differing segment wins, so {@code /api/v1/hosts/x} never shadows a
 * literal route.
 *
 * <p>Unknown paths are 404, a known path with another method is 405 with {@code Allow}, a missing
 * or unknown token 401 with {@code WWW-Authenticate: Bearer}, a token of the wrong role 403. {@link
 * #admit} decides all of these from the request line and headers alone, before the body is read;
 * {@link #dispatch} decides them again (a token may have been revoked meanwhile) and never throws:
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
    /** An operator, admin or viewer token. */
    READ,
    /** An operator or admin token, for changes (acknowledgements, downtimes). */
    OPERATE,
    /** An admin token only (removing hosts). */
    ADMIN,
    /** Uploading an archive: the node token of the path's {@code {node}}, or an admin token. */
    ARCHIVE_WRITE,
    /** Whether an archive is stored: as {@link #ARCHIVE_WRITE}, or a restore token. */
    ARCHIVE_CHECK,
    /** A node's archive catalog: a reading, admin or restore token, or that node's token. */
    ARCHIVE_LIST,
    /** An archive's bytes: an admin or restore token only. */
    ARCHIVE_READ
  }

  private record Route(Access access, Handler handler) {}

  /** A template split into segments; a null name marks a literal. */
  private record Template(String text, List<String> literals, List<String> names) {
    static Template parse(String text) {
      if (!text.startsWith("/")) {
        throw new IllegalArgumentException("route template must start with /, got " + text);
      }
      List<String> literals = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (String s : text.substring(1).split("/", -1)) {
        boolean placeholder = s.length() > 2 && s.startsWith("{") && s.endsWith("}");
        literals.add(placeholder ? null : s);
        names.add(placeholder ? s.substring(1, s.length() - 1) : null);
      }
      return new Template(text, literals, names);
    }

    /** The placeholder values if {@code segments} match, else null. */
    Map<String, String> match(List<String> segments) {
      if (segments.size() != literals.size()) {
        return null;
      }
      Map<String, String> params = new HashMap<>();
      for (int i = 0; i < segments.size(); i++) {
        String literal = literals.get(i);
        String seg = segments.get(i);
        if (literal != null ? !literal.equals(seg) : seg.isEmpty()) {
          return null;
        }
        if (literal == null) {
          params.put(names.get(i), seg);
        }
      }
      return params;
    }

    /** Negative when this template is more specific than {@code o}. */
    int compareSpecificity(Template o) {
      for (int i = 0; i < literals.size(); i++) {
        boolean a = literals.get(i) != null;
        boolean b = o.literals.get(i) != null;
        if (a != b) {
          return a ? -1 : 1;
        }
      }
      return 0;
    }
  }

  /** The routes of one template by method. */
  private record Entry(Template template, Map<String, Route> byMethod) {}

  /** What a request matched: its routes by method and the placeholder values. */
  private record Match(Map<String, Route> byMethod, Map<String, String> params) {}

  private final Map<String, Entry> routes = new LinkedHashMap<>();
  private final Authenticator auth;
  private final StoreHealth health;

  Router(Authenticator auth, StoreHealth health) {
    this.auth = auth;
    this.health = health;
  }

  /** Adds a route for a path template such as {@code /api/v1/hosts/{host}}; returns this. */
  /**
   * Adds {@code POST /api/v1/reload} (admin token) when {@code reload} is not null: it asks the
   * daemon to reload its configuration, as SIGHUP does but without signals (which a daemon started
   * under {@code nohup} cannot handle), and answers 202 at once; the daemon logs the outcome.
   */
  Router reloadRoute(Runnable reload) {
    if (reload == null) {
      return this;
    }
    return route(
        "POST",
        "/api/v1/reload",
        Access.ADMIN,
        (request, caller) -> {
          BodyFields.parse(request);
          reload.run();
          return Response.json(
              202,
              java.util.Map.of(
                  "reload",
                  "requested",
                  "note",
                  "the collector reads its configuration again and restarts its server; an"
                      + " invalid file is refused and logged, the old one keeps running"));
        });
  }

  Router route(String method, String template, Access access, Handler handler) {
    routes
        .computeIfAbsent(template, t -> new Entry(Template.parse(t), new LinkedHashMap<>()))
        .byMethod()
        .put(method, new Route(access, handler));
    return this;
  }

  private Match lookup(Request request) {
    Entry best = null;
    Map<String, String> bestParams = null;
    for (Entry e : routes.values()) {
      Map<String, String> params = e.template().match(request.segments());
      if (params != null
          && (best == null || e.template().compareSpecificity(best.template()) < 0)) {
        best = e;
        bestParams = params;
      }
    }
    return best == null ? null : new Match(best.byMethod(), bestParams);
  }

  /**
   * Whether the request may go on to have its body read: null if so, else the answer (404, 405,
   * 401, 403). Looks only at the request line and headers. Calls the store for a token, so it runs
   * on a worker thread, not an event loop; {@link #needsToken} says whether it will.
   */
  Response admit(Request head) {
    try {
      Match m = lookup(head);
      Route route = route(head, m);
      if (route.access() != Access.PUBLIC) {
        authorize(head, route, m.params());
      }
      return null;
    } catch (HttpError e) {
      return e.toResponse();
    } catch (StoreException e) {
      return storeUnavailable(head, e);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed before its body", head.method(), head.path(), e);
      return Response.error(500, "internal error: " + e.getClass().getSimpleName());
    }
  }

  /** Whether {@link #admit} of {@code head} would look up a token (and so should not block I/O). */
  boolean needsToken(Request head) {
    Match m = lookup(head);
    if (m == null) {
      return false;
    }
    Route route = byMethod(m, head.method());
    return route != null && route.access() != Access.PUBLIC;
  }

  /** Answers any request; never throws. */
  Response dispatch(Request request) {
    try {
      Match m = lookup(request);
      Route route = route(request, m);
      TokenOwner caller =
          route.access() == Access.PUBLIC ? null : authorize(request, route, m.params());
      Response response = route.handler().handle(request.withParams(m.params()), caller);
      if ("HEAD".equals(request.method()) && !m.byMethod().containsKey("HEAD")) {
        response = headOf(response);
      }
      if (caller != null && !response.headers().containsKey("Set-Cookie")) {
        String renewal = auth.renewal(request);
        if (renewal != null) {
          response = response.withHeader("Set-Cookie", renewal);
        }
      }
      if (route.access() == Access.NODE) {
        health.writeSucceeded();
      }
      return response;
    } catch (HttpError e) {
      return e.toResponse();
    } catch (StoreException e) {
      return storeUnavailable(request, e);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", request.method(), request.path(), e);
      return Response.error(500, "internal error: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Whether the credentials of {@code request} (token or session) still authenticate; false once
   * the token is revoked. A store failure answers true: it is not a revocation.
   */
  boolean stillAuthenticated(Request request) {
    try {
      auth.authenticate(request);
      return true;
    } catch (HttpError e) {
      return false;
    } catch (StoreException e) {
      return true;
    }
  }

  /** 503, logged through {@link StoreHealth}: once per kind of failure, then counted. */
  private Response storeUnavailable(Request request, StoreException e) {
    health.failed(request.method() + " " + request.path(), e);
    return Response.error(503, "store unavailable, see the collector log")
        .withHeader("Retry-After", "10");
  }

  /**
   * The route for {@code method}; a HEAD request without a HEAD route of its own takes the GET
   * route, as RFC 9110 section 9.3.2 asks of every GET resource ({@code curl -I}, {@code check_http
   * -j HEAD}).
   */
  private static Route byMethod(Match m, String method) {
    Route r = m.byMethod().get(method);
    return r == null && "HEAD".equals(method) ? m.byMethod().get("GET") : r;
  }

  /** The answer to HEAD from the GET answer: same status and headers, no body. */
  private static Response headOf(Response get) {
    long length = get.body().length;
    if (get.file() != null) {
      length = get.file().length();
      try {
        get.file().channel().close();
      } catch (java.io.IOException e) {
        // nothing was sent from it; closing is all that was left to do
      }
    }
    // Not an event stream: a HEAD answer ends with its headers.
    String type =
        Response.EVENT_STREAM.equals(get.contentType()) ? Response.TEXT : get.contentType();
    return new Response(get.status(), type, get.headers(), new byte[0])
        .withHeader("Content-Length", Long.toString(length));
  }

  private static Route route(Request request, Match m) throws HttpError {
    if (m == null) {
      throw new HttpError(404, "no route " + request.path());
    }
    Route route = byMethod(m, request.method());
    if (route == null) {
      TreeSet<String> methods = new TreeSet<>(m.byMethod().keySet());
      if (methods.contains("GET")) {
        methods.add("HEAD");
      }
      String allow = String.join(", ", methods);
      throw new HttpError(
          405,
          "method " + request.method() + " not allowed on " + request.path() + "; use " + allow,
          Map.of("Allow", allow));
    }
    return route;
  }

  private TokenOwner authorize(Request request, Route route, Map<String, String> params)
      throws HttpError {
    TokenOwner caller = auth.authenticate(request);
    authorizeArchive(request, route.access(), params.get("node"), caller);
    if (route.access() == Access.NODE && caller.node() == null) {
      throw new HttpError(
          403, "an " + caller.role().id() + " token may not post reports; use a node token");
    }
    if (route.access() == Access.OPERATE && !caller.role().canOperate()) {
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

  /** The archive routes' rules; see {@link Access}. */
  private static void authorizeArchive(
      Request request, Access access, String node, TokenOwner caller) throws HttpError {
    boolean own = caller.node() != null && caller.node().equals(node);
    boolean admin = caller.role() == Role.ADMIN;
    boolean restore = caller.role() == Role.RESTORE;
    boolean allowed =
        switch (access) {
          case ARCHIVE_WRITE -> own || admin;
          case ARCHIVE_CHECK -> own || admin || restore;
          case ARCHIVE_LIST -> own || restore || caller.role().canRead();
          case ARCHIVE_READ -> admin || restore;
          default -> true;
        };
    if (!allowed) {
      String use =
          switch (access) {
            case ARCHIVE_WRITE -> "the node token of \"" + node + "\" or an admin token";
            case ARCHIVE_READ -> "an admin or restore token";
            default -> "the node token of \"" + node + "\", an admin or a restore token";
          };
      throw new HttpError(
          403,
          caller.describe()
              + " may not "
              + request.method()
              + " "
              + request.path()
              + "; use "
              + use);
    }
  }
}
