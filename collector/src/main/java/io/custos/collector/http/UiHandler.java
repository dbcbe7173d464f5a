package io.custos.collector.http;

import io.custos.collector.store.TokenOwner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The dashboard's files, from the jar, no token (they hold no data): {@code GET /} is {@code
 * ui/index.html}, {@code GET /ui/PATH} the classpath file {@code io/custos/collector/ui/PATH}, and
 * {@code GET /ui/vendor/uplot/FILE} uPlot's {@code dist/FILE} from its webjar. A path segment that
 * is empty, starts with a dot or holds a slash or backslash is 404, so nothing outside those
 * directories can be read.
 *
 * <p>Every answer carries an {@code ETag} (the SHA-256 of the bytes sent, RFC 9110 §8.8.3) and
 * {@code If-None-Match} with it is 304; {@code index.html} and the dashboard's own {@code .js} and
 * {@code .css} files are {@code Cache-Control: no-cache} (always revalidated, so a new jar is seen
 * at once and the ES modules, which import each other by plain URL, are never mixed across an
 * upgrade), the rest (uPlot, images) {@code max-age=3600}. Text files are sent gzip-compressed to
 * clients that accept it. Every answer carries the {@link #CSP Content-Security-Policy} (no inline
 * script or style, nothing from other origins, no framing), {@code X-Content-Type-Options: nosniff}
 * and {@code Referrer-Policy: no-referrer}. Files are read once and kept: the jar does not change
 * while the collector runs.
 */
final class UiHandler implements Handler {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  static final String UPLOT_VERSION = "1.6.30";

  private static final String UI_ROOT = "/io/custos/collector/ui/";
  private static final String UPLOT_ROOT =
      "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
  private static final List<String> VENDOR_UPLOT = List.of("ui", "vendor", "uplot");
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json; charset=utf-8"),
          Map.entry("map", "application/json; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"));

  /** One file, ready to send: plain and (for text) gzip bytes with their entity tags. */
  private record Asset(
      String type, byte[] plain, String etag, byte[] gzip, String gzipEtag, String cache) {}

  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    String resource = resource(request.segments());
    if (resource == null) {
      throw new HttpError(404, "no file " + request.path());
    }
    Asset a = cache.get(resource);
    if (a == null) {
      a = load(resource);
      if (a == null) {
        throw new HttpError(404, "no file " + request.path());
      }
      cache.put(resource, a);
    }
    boolean gzip = a.gzip() != null && acceptsGzip(request.header("Accept-Encoding"));
    String etag = gzip ? a.gzipEtag() : a.etag();
    Response r;
    if (matches(request.header("If-None-Match"), etag)) {
      r = new Response(304, a.type(), Map.of(), new byte[0]);
    } else {
      r = new Response(200, a.type(), Map.of(), gzip ? a.gzip() : a.plain());
      if (gzip) {
        r = r.withHeader("Content-Encoding", "gzip");
      }
    }
    if (a.gzip() != null) {
      r = r.withHeader("Vary", "Accept-Encoding");
    }
    return secure(r.withHeader("ETag", etag).withHeader("Cache-Control", a.cache()));
  }

  /** {@code r} with the headers every dashboard page carries. */
  static Response secure(Response r) {
    return r.withHeader("Content-Security-Policy", CSP)
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("Referrer-Policy", "no-referrer");
  }

  /** The classpath resource for a request path, or null when it names none. */
  static String resource(List<String> segments) {
    if (segments.size() == 1 && segments.get(0).isEmpty()) {
      return UI_ROOT + "index.html";
    }
    if (segments.size() < 2 || !segments.get(0).equals("ui")) {
      return null;
    }
    for (String s : segments) {
      if (s.isEmpty() || s.startsWith(".") || s.contains("/") || s.contains("\\")) {
        return null;
      }
    }
    if (segments.size() == 4 && segments.subList(0, 3).equals(VENDOR_UPLOT)) {
      return UPLOT_ROOT + segments.get(3);
    }
    return UI_ROOT + String.join("/", segments.subList(1, segments.size()));
  }

  private static Asset load(String resource) {
    String ext = resource.substring(resource.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(ext);
    if (type == null) {
      return null; // only the kinds of file a page uses; a .class or .properties is not served
    }
    byte[] plain;
    try (InputStream in = UiHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      plain = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
    }
    boolean text = type.startsWith("text/") || type.startsWith("application/") || ext.equals("svg");
    byte[] gzip = text ? gzip(plain) : null;
    boolean own = resource.startsWith(UI_ROOT);
    boolean revalidate =
        resource.endsWith("/index.html")
            || (own && (ext.equals("js") || ext.equals("mjs") || ext.equals("css")));
    String cacheControl = revalidate ? "no-cache" : "max-age=3600";
    return new Asset(
        type,
        plain,
        etag(plain, ""),
        gzip,
        gzip == null ? null : etag(plain, "-gzip"),
        cacheControl);
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String etag(byte[] bytes, String suffix) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d) + suffix + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** {@code Accept-Encoding} names gzip without {@code q=0} (RFC 9110 §12.5.3). */
  static boolean acceptsGzip(String header) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      String[] p = part.strip().split(";");
      if (p[0].strip().equalsIgnoreCase("gzip") || p[0].strip().equals("*")) {
        for (int i = 1; i < p.length; i++) {
          String q = p[i].strip().replace(" ", "");
          if (q.equals("q=0") || q.matches("q=0\\.0*")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** {@code If-None-Match} lists {@code etag} (weak comparison) or is {@code *}. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String t : ifNoneMatch.split(",")) {
      String s = t.strip();
      if (s.startsWith("W/")) {
        s = s.substring(2);
      }
      if (s.equals("*") || s.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
