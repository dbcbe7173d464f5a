package io.custos.collector.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as handlers see it: method, path, decoded query parameters, headers by lower-case
 * name, and the whole (already decompressed, size-bounded) body. Knows nothing about the server
 * that built it. Immutable.
 */
final class Request {
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, String> headers;
  private final byte[] body;

  private Request(
      String method,
      String path,
      Map<String, List<String>> query,
      Map<String, String> headers,
      byte[] body) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
  }

  /**
   * Builds a request from a request target such as {@code /api/v1/services?status=problems}.
   *
   * @throws IllegalArgumentException naming the target when its percent-encoding is malformed
   */
  static Request of(String method, String target, Map<String, String> headers, byte[] body) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, List<String>> query = new HashMap<>();
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq), target);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), target);
        query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
    }
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + ", " + b));
    return new Request(method, decode(path, target), Map.copyOf(query), Map.copyOf(lower), body);
  }

  private static String decode(String s, String target) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "malformed percent-encoding in request target \"" + target + "\"", e);
    }
  }

  String method() {
    return method;
  }

  /** The decoded path, without the query. */
  String path() {
    return path;
  }

  /** The first value of query parameter {@code name}, or null. */
  String query(String name) {
    List<String> values = query.get(name);
    return values == null ? null : values.get(0);
  }

  /** Every query parameter name given. */
  java.util.Set<String> queryNames() {
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
