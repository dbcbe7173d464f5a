package io.custos.collector.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An HTTP request as handlers see it: method, path, decoded query parameters, headers by lower-case
 * name, the whole (already decompressed, size-bounded) body, and the values of the route's
 * templated segments. Knows nothing about the server that built it. Immutable.
 *
 * <p>The path is decoded as a path, with Netty's {@link QueryStringDecoder}: it is split into
 * segments on the raw {@code /} first and each segment is then percent-decoded, so {@code %2F} is
 * part of a segment, never a separator, and {@code +} stays {@code +} (only in the query is it a
 * space). A {@code ;} in the query is an ordinary character, not a separator.
 */
final class Request {
  private final String method;
  private final String rawPath;
  private final String path;
  private final List<String> segments;
  private final Map<String, List<String>> query;
  private final Map<String, String> headers;
  private final byte[] body;
  private final Map<String, String> params;

  private Request(
      String method,
      String rawPath,
      String path,
      List<String> segments,
      Map<String, List<String>> query,
      Map<String, String> headers,
      byte[] body,
      Map<String, String> params) {
    this.method = method;
    this.rawPath = rawPath;
    this.path = path;
    this.segments = segments;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.params = params;
  }

  /**
   * Builds a request from a request target such as {@code /api/v1/services?status=problems}.
   *
   * @throws IllegalArgumentException naming the target when its percent-encoding is malformed
   */
  static Request of(String method, String target, Map<String, String> headers, byte[] body) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + ", " + b));
    return of(method, target, lower).withBody(body);
  }

  /**
   * A request without its body yet, built from the request line and headers alone (so the token can
   * be checked before the body is read). {@code lowerCaseHeaders} must have lower-case names.
   *
   * @throws IllegalArgumentException naming the target when its percent-encoding is malformed
   */
  static Request of(String method, String target, Map<String, String> lowerCaseHeaders) {
    try {
      QueryStringDecoder d =
          new QueryStringDecoder(target, StandardCharsets.UTF_8, true, 1024, true);
      String raw = d.rawPath();
      List<String> segments = new ArrayList<>();
      StringBuilder decoded = new StringBuilder();
      // Split on the raw slashes, then decode: an encoded %2F belongs to its segment.
      String[] parts = raw.startsWith("/") ? raw.split("/", -1) : new String[0];
      for (int i = 1; i < parts.length; i++) {
        String s = decodeSegment(parts[i]);
        segments.add(s);
        decoded.append('/').append(s);
      }
      Map<String, List<String>> query = new HashMap<>();
      d.parameters().forEach((k, v) -> query.put(k, List.copyOf(v)));
      return new Request(
          method,
          raw,
          decoded.length() == 0 ? raw : decoded.toString(),
          List.copyOf(segments),
          Map.copyOf(query),
          Map.copyOf(lowerCaseHeaders),
          new byte[0],
          Map.of());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "malformed percent-encoding in request target \"" + target + "\"", e);
    }
  }

  /** One path segment, percent-decoded as a path: {@code +} stays {@code +}. */
  private static String decodeSegment(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    // With hasPath, path() decodes without turning '+' into a space; a raw segment holds no '?'.
    return new QueryStringDecoder(raw, StandardCharsets.UTF_8, true).path();
  }

  /** This request with {@code body}. */
  Request withBody(byte[] body) {
    return new Request(method, rawPath, path, segments, query, headers, body, params);
  }

  /** This request with the values of its route's templated segments. */
  Request withParams(Map<String, String> params) {
    return new Request(method, rawPath, path, segments, query, headers, body, Map.copyOf(params));
  }

  String method() {
    return method;
  }

  /** The decoded path, without the query; for messages (segments may contain {@code /}). */
  String path() {
    return path;
  }

  /** The path as sent, still percent-encoded, without the query. */
  String rawPath() {
    return rawPath;
  }

  /** The decoded path segments: {@code /a/b%2Fc} is {@code [a, b/c]}. */
  List<String> segments() {
    return segments;
  }

  /**
   * The value of the route's templated segment {@code {name}}, decoded.
   *
   * @throws IllegalStateException when the route has no such segment (a programming error)
   */
  String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("route of " + path + " has no segment {" + name + "}");
    }
    return v;
  }

  /** The first value of query parameter {@code name}, or null. */
  String query(String name) {
    List<String> values = query.get(name);
    return values == null ? null : values.get(0);
  }

  /** Every query parameter name given. */
  Set<String> queryNames() {
    return query.keySet();
  }

  /** All values of query parameter {@code name}; empty if absent. */
  List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** The header's value (several joined by {@code ", "}), or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body; empty, never null. Callers must not modify it. */
  byte[] body() {
    return body;
  }
}
