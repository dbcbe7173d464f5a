package io.custos.collector.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pagination of a list response: {@code limit} (default {@value #DEFAULT_LIMIT}, at most {@value
 * #MAX_LIMIT}) and {@code offset} (default 0). The body stays a plain array (or table); the client
 * learns the total from {@code X-Total-Count} and finds the next page in an RFC 8288 {@code Link:
 * <…&offset=200&limit=100>; rel="next"} header, present only when there is more.
 *
 * @param limit most rows to return
 * @param offset rows to skip
 */
record Page(int limit, int offset) {
  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 10_000;

  /** Reads {@code limit} and {@code offset}; 400 naming the parameter when out of range. */
  static Page of(Request r) throws HttpError {
    return new Page(
        Params.integer(r, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        Params.integer(r, "offset", 0, 0, Integer.MAX_VALUE));
  }

  /** The rows of this page. */
  <T> List<T> slice(List<T> all) {
    if (offset >= all.size()) {
      return List.of();
    }
    return all.subList(offset, (int) Math.min(all.size(), (long) offset + limit));
  }

  /** {@code response} with the paging headers for a list of {@code total} rows. */
  Response headers(Response response, Request request, int total) {
    Response out = response.withHeader("X-Total-Count", Integer.toString(total));
    if ((long) offset + limit < total) {
      out = out.withHeader("Link", "<" + next(request) + ">; rel=\"next\"");
    }
    return out;
  }

  private String next(Request r) {
    Map<String, String> q = new TreeMap<>();
    for (String name : r.queryNames()) {
      for (String v : r.queryAll(name)) {
        q.put(name, v);
      }
    }
    q.put("offset", Integer.toString(offset + limit));
    q.put("limit", Integer.toString(limit));
    StringBuilder sb = new StringBuilder(r.rawPath()).append('?');
    q.forEach((k, v) -> sb.append(enc(k)).append('=').append(enc(v)).append('&'));
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
