package io.custos.collector.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a small request body, curl-friendly: a JSON object ({@code -d '{"host":"web01"}'})
 * or form fields ({@code -d host=web01 -d sticky=false}), told apart by the first character. Values
 * are strings; JSON numbers and booleans are given as their text.
 */
final class BodyFields {
  private final Map<String, String> fields;

  private BodyFields(Map<String, String> fields) {
    this.fields = fields;
  }

  static BodyFields parse(Request request) throws HttpError {
    String text = new String(request.body(), StandardCharsets.UTF_8).strip();
    Map<String, String> out = new HashMap<>();
    if (text.startsWith("{")) {
      JsonNode node;
      try {
        node = Response.mapper().readTree(text);
      } catch (IOException e) {
        throw new HttpError(
            400, "body: not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      node.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isNull()) {
                  out.put(e.getKey(), e.getValue().asText());
                }
              });
    } else if (!text.isEmpty()) {
      for (String pair : text.split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.put(k, v);
      }
    }
    return new BodyFields(out);
  }

  /** The field, or null when absent or blank. */
  String get(String name) {
    String v = fields.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  String require(String name) throws HttpError {
    String v = get(name);
    if (v == null) {
      throw new HttpError(400, name + ": required");
    }
    return v;
  }

  boolean bool(String name, boolean dflt) throws HttpError {
    String v = get(name);
    if (v == null) {
      return dflt;
    }
    return switch (v) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new HttpError(400, name + ": expected true|false, got \"" + v + "\"");
    };
  }

  /** The route's {@code {id}} segment as a number, for {@code DELETE .../{id}}. */
  static long pathId(Request request) throws HttpError {
    String last = request.param("id");
    try {
      return Long.parseLong(last);
    } catch (NumberFormatException e) {
      throw new HttpError(404, "no route " + request.path() + " (expected a numeric id)");
    }
  }
}
