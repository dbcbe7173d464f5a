package io.custos.collector.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of a small request body, curl-friendly: a JSON object ({@code -d '{"host":"web01"}'})
 * or form fields ({@code -d host=web01 -d sticky=false}), told apart by the first character. Values
 * are strings; JSON numbers and booleans are given as their text.
 *
 * <p>A write route states the fields it understands; any other field is refused with a 400 that
 * names it and lists the known ones ({@code stick: unknown field; expected one of author, comment,
 * expire, host, service, sticky}), as {@code check-config} refuses an unknown YAML key: a typo such
 * as {@code servcie} must never widen a downtime to the whole host. A JSON value of the wrong kind
 * (an object or array where text is expected, a string where a boolean is) is refused too.
 */
final class BodyFields {
  private final Map<String, String> fields;
  private final Map<String, JsonNode> json;

  private BodyFields(Map<String, String> fields, Map<String, JsonNode> json) {
    this.fields = fields;
    this.json = json;
  }

  /**
   * Parses the body and refuses any field not in {@code known}.
   *
   * @throws HttpError 400 for a body that is not a JSON object or form fields, or naming the first
   *     unknown field (with a hint for a known near miss) or a JSON value that is not a scalar
   */
  static BodyFields parse(Request request, String... known) throws HttpError {
    String text = new String(request.body(), StandardCharsets.UTF_8).strip();
    Map<String, String> out = new HashMap<>();
    Map<String, JsonNode> nodes = new HashMap<>();
    if (text.startsWith("{")) {
      JsonNode node;
      try {
        node = Response.mapper().readTree(text);
      } catch (IOException e) {
        throw new HttpError(
            400, "body: not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      var it = node.fields();
      while (it.hasNext()) {
        var e = it.next();
        nodes.put(e.getKey(), e.getValue());
        if (e.getValue().isContainerNode()) {
          checkKnown(e.getKey(), known);
          throw new HttpError(
              400, e.getKey() + ": expected a single value, got " + e.getValue().toString());
        }
        if (!e.getValue().isNull()) {
          out.put(e.getKey(), e.getValue().asText());
        }
      }
    } else if (!text.isEmpty()) {
      for (String pair : text.split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.put(k, v);
      }
    }
    for (String k : new TreeSet<>(nodes.isEmpty() ? out.keySet() : nodes.keySet())) {
      checkKnown(k, known);
    }
    return new BodyFields(out, nodes);
  }

  /** Known names for an unknown one, and the field it most likely meant. */
  private static final Map<String, String> NEAR =
      Map.of(
          "stick", "sticky",
          "servcie", "service",
          "serivce", "service",
          "expires", "expire",
          "expiry", "expire",
          "end", "expire",
          "duration", "expire");

  /**
   * Throws 400 unless {@code name} is in {@code known}.
   *
   * @throws HttpError naming the field and the fields the route takes
   */
  static void checkKnown(String name, String... known) throws HttpError {
    for (String k : known) {
      if (k.equals(name)) {
        return;
      }
    }
    String hint = NEAR.get(name);
    boolean hinted = hint != null && List.of(known).contains(hint);
    throw new HttpError(
        400,
        (name.isEmpty() ? "\"\"" : name)
            + ": unknown field"
            + (hinted ? " (did you mean " + hint + "?)" : "")
            + "; expected "
            + (known.length == 0
                ? "no fields"
                : "one of " + String.join(", ", new TreeSet<>(Set.of(known)))));
  }

  /** The field, or null when absent or blank. */
  String get(String name) throws HttpError {
    JsonNode n = json.get(name);
    if (n != null && !n.isNull() && !n.isTextual() && !n.isNumber()) {
      throw new HttpError(400, name + ": expected text, got " + n);
    }
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
    JsonNode n = json.get(name);
    if (n != null && !n.isNull() && !n.isBoolean() && !n.isTextual()) {
      throw new HttpError(400, name + ": expected true|false, got " + n);
    }
    String v = fields.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    return switch (v.strip()) {
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
