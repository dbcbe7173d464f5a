package io.custos.common.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The tree-model decoder that {@link WireCodec} used before it streamed, kept as test code so that
 * {@link WireCodecEquivalenceTest} can hold the streaming decoder to exactly its behaviour.
 *
 * <p>Reads and writes the JSON wire format. Reading is strict about required fields and their types
 * and lenient about unknown fields (they are ignored, so newer agents can talk to older
 * collectors). Every rejection is a {@link WireException} whose message names the field, e.g.
 * {@code results[3].status: expected OK|WARNING|CRITICAL|UNKNOWN, got "BAD"}. Thread-safe.
 */
final class TreeWireDecoder {
  private final ObjectMapper mapper;

  TreeWireDecoder() {
    this.mapper =
        new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** The report as compact UTF-8 JSON. */
  public byte[] encode(Report report) {
    try {
      return mapper.writeValueAsBytes(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode report " + report.seq(), e);
    }
  }

  /** Decodes one report from UTF-8 JSON bytes. */
  public Report decode(byte[] json) {
    try {
      return report(mapper.readTree(json));
    } catch (JsonProcessingException e) {
      throw syntax(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes one report from a stream of UTF-8 JSON; does not close it. */
  public Report decode(InputStream json) throws IOException {
    try {
      return report(mapper.readTree(json));
    } catch (JsonProcessingException e) {
      throw syntax(e);
    }
  }

  private static WireException syntax(JsonProcessingException e) {
    var loc = e.getLocation();
    String where =
        loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    return new WireException("", "malformed JSON" + where + ": " + e.getOriginalMessage());
  }

  private static Report report(JsonNode root) {
    if (root == null || root.isMissingNode()) {
      throw new WireException("", "empty body, expected a JSON object");
    }
    Obj o = new Obj(root, "");
    return o.build(
        () ->
            new Report(
                o.integer("v"),
                o.string("node"),
                o.string("agent"),
                o.longValue("seq"),
                o.longValue("sent"),
                o.integer("interval_s"),
                o.optList("tags", (n, p) -> text(n, p)),
                o.optList("results", TreeWireDecoder::result),
                o.optList("backups", TreeWireDecoder::backup)));
  }

  private static CheckResult result(JsonNode node, String path) {
    Obj o = new Obj(node, path);
    return o.build(
        () ->
            new CheckResult(
                o.string("service"),
                o.optString("check"),
                o.status("status"),
                o.string("output"),
                o.optString("long_output"),
                o.longValue("time"),
                o.optList("metrics", TreeWireDecoder::metric)));
  }

  private static Metric metric(JsonNode node, String path) {
    Obj o = new Obj(node, path);
    return o.build(
        () ->
            new Metric(
                o.string("name"),
                o.optLabels("labels"),
                o.number("value"),
                o.optString("unit"),
                o.optNumber("warn"),
                o.optNumber("crit"),
                o.optNumber("min"),
                o.optNumber("max")));
  }

  private static BackupEvent backup(JsonNode node, String path) {
    Obj o = new Obj(node, path);
    return o.build(
        () ->
            new BackupEvent(
                o.string("set"),
                o.string("level"),
                o.optString("archive"),
                o.status("result"),
                o.longValue("bytes"),
                o.longValue("files"),
                o.longValue("started"),
                o.longValue("finished"),
                o.optString("message")));
  }

  private static String text(JsonNode n, String path) {
    if (!n.isTextual()) {
      throw new WireException(path, "expected a string, got " + describe(n));
    }
    return n.textValue();
  }

  private static String describe(JsonNode n) {
    return switch (n.getNodeType()) {
      case STRING -> "\"" + n.textValue() + "\"";
      case NUMBER, BOOLEAN -> n.asText();
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> n.getNodeType().name().toLowerCase();
    };
  }

  /** A JSON object being read, with its path for error messages. */
  private static final class Obj {
    private final JsonNode node;
    private final String path;

    Obj(JsonNode node, String path) {
      if (!node.isObject()) {
        throw new WireException(path, "expected an object, got " + describe(node));
      }
      this.node = node;
      this.path = path;
    }

    /** Runs a record constructor, putting this object's path in front of what it rejects. */
    <T> T build(java.util.function.Supplier<T> constructor) {
      try {
        return constructor.get();
      } catch (WireException e) {
        if (path.isEmpty() || e.field().startsWith(path)) {
          throw e;
        }
        throw e.under(path);
      }
    }

    private String at(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    private JsonNode required(String field) {
      JsonNode n = node.get(field);
      if (n == null || n.isNull()) {
        throw new WireException(at(field), "missing");
      }
      return n;
    }

    String string(String field) {
      return text(required(field), at(field));
    }

    String optString(String field) {
      JsonNode n = node.get(field);
      return n == null || n.isNull() ? null : text(n, at(field));
    }

    Status status(String field) {
      JsonNode n = required(field);
      if (!n.isTextual()) {
        throw new WireException(
            at(field), "expected OK|WARNING|CRITICAL|UNKNOWN, got " + describe(n));
      }
      try {
        return Status.parse(n.textValue());
      } catch (IllegalArgumentException e) {
        throw new WireException(at(field), e.getMessage());
      }
    }

    long longValue(String field) {
      JsonNode n = required(field);
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw new WireException(at(field), "expected an integer, got " + describe(n));
      }
      return n.longValue();
    }

    int integer(String field) {
      JsonNode n = required(field);
      if (!n.isIntegralNumber() || !n.canConvertToInt()) {
        throw new WireException(at(field), "expected an integer, got " + describe(n));
      }
      return n.intValue();
    }

    double number(String field) {
      JsonNode n = required(field);
      if (!n.isNumber()) {
        throw new WireException(at(field), "expected a number, got " + describe(n));
      }
      return n.doubleValue();
    }

    Double optNumber(String field) {
      JsonNode n = node.get(field);
      if (n == null || n.isNull()) {
        return null;
      }
      if (!n.isNumber()) {
        throw new WireException(at(field), "expected a number, got " + describe(n));
      }
      return n.doubleValue();
    }

    Map<String, String> optLabels(String field) {
      JsonNode n = node.get(field);
      if (n == null || n.isNull()) {
        return Map.of();
      }
      if (!n.isObject()) {
        throw new WireException(at(field), "expected an object, got " + describe(n));
      }
      Map<String, String> labels = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        labels.put(e.getKey(), text(e.getValue(), at(field) + "." + e.getKey()));
      }
      return labels;
    }

    <T> List<T> optList(String field, BiFunction<JsonNode, String, T> element) {
      JsonNode n = node.get(field);
      if (n == null || n.isNull()) {
        return List.of();
      }
      if (!n.isArray()) {
        throw new WireException(at(field), "expected an array, got " + describe(n));
      }
      List<T> out = new ArrayList<>(n.size());
      for (int i = 0; i < n.size(); i++) {
        out.add(element.apply(n.get(i), at(field) + "[" + i + "]"));
      }
      return out;
    }
  }
}
