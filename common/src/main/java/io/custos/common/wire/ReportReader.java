package io.custos.common.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Decodes a report from a {@link JsonParser} in one pass, without building a tree.
 *
 * <p>It accepts and rejects exactly what the former tree-model decoder did, with the same messages
 * (held to it by {@code WireCodecEquivalenceTest}):
 *
 * <ul>
 *   <li>The whole root value is tokenised before any field error is thrown, so malformed JSON
 *       anywhere wins over a bad field. Values are read into per-field slots as they come; a slot
 *       holds the value, {@code null} (absent or JSON {@code null}), a {@link Bad} value, or the
 *       {@link WireException} of a bad list element. The slots are checked after the object's end
 *       in the record's component order, so the error reported does not depend on the order of the
 *       fields in the JSON.
 *   <li>Duplicate keys: the last one wins, as in Jackson's tree model (a later valid value clears
 *       an earlier bad one, a later {@code null} makes the field missing). Among labels, a bad
 *       duplicate key is reported at the position of its first occurrence, as the tree did.
 *   <li>Unknown fields are skipped with {@link JsonParser#skipChildren()}, which still tokenises
 *       them (so they must be well-formed) but builds nothing.
 *   <li>In a list, the first bad element is the error; the remaining elements are only skipped.
 * </ul>
 *
 * <p>Field paths for messages are only built when something is wrong: a report has thousands of
 * fields. Content after the root value is ignored, as by {@code ObjectMapper.readTree}. Thread-safe
 * if its {@link Interner} is.
 *
 * <p>Why hand-written and not Jackson data binding: ingest decodes every report of the fleet, and
 * binding through a tree (or through record deserializers that then validate) allocated a node per
 * value and reported errors in Jackson's words. Streaming with {@link JsonParser} keeps ingest to
 * one pass with interned names, and lets every error name the field path and the value the way the
 * wire format promises ({@code results[3].status: expected OK|WARNING|CRITICAL|UNKNOWN, got
 * "BAD"}). Jackson still does the tokenising; only the binding is ours.
 */
final class ReportReader {
  private final Interner interner;

  ReportReader(Interner interner) {
    this.interner = interner;
  }

  /** Reads the root value; throws the first {@link WireException} of the report. */
  Report read(JsonParser p) throws IOException {
    if (p.nextToken() == null) {
      throw new WireException("", "empty body, expected a JSON object");
    }
    Object r = report(p, new Where("", -1));
    if (r instanceof WireException e) {
      throw e;
    }
    return (Report) r;
  }

  private Object report(JsonParser p, Where where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return notAn("object", p).at(where.path());
    }
    Object v = null, node = null, agent = null, seq = null, sent = null, interval = null;
    Object tags = null, results = null, backups = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "v" -> v = integer(p);
        case "node" -> node = string(p, false);
        case "agent" -> agent = string(p, true);
        case "seq" -> seq = longValue(p);
        case "sent" -> sent = longValue(p);
        case "interval_s" -> interval = integer(p);
        case "tags" -> tags = list(p, "tags", this::tag);
        case "results" -> results = list(p, "results", this::result);
        case "backups" -> backups = list(p, "backups", this::backup);
        default -> p.skipChildren();
      }
    }
    Object[] s = {v, node, agent, seq, sent, interval, tags, results, backups};
    return build(
        where,
        () ->
            new Report(
                required(s[0], where, "v"),
                required(s[1], where, "node"),
                required(s[2], where, "agent"),
                required(s[3], where, "seq"),
                required(s[4], where, "sent"),
                required(s[5], where, "interval_s"),
                optList(s[6], where, "tags"),
                optList(s[7], where, "results"),
                optList(s[8], where, "backups")));
  }

  private Object tag(JsonParser p, Where where) throws IOException {
    Object t = string(p, true);
    if (t == null) {
      return new WireException(where.path(), "expected a string, got null");
    }
    return t instanceof Bad b ? b.at(where.path()) : t;
  }

  private Object result(JsonParser p, Where where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return notAn("object", p).at(where.path());
    }
    Object service = null, check = null, status = null, output = null, longOutput = null;
    Object time = null, metrics = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "service" -> service = string(p, true);
        case "check" -> check = string(p, true);
        case "status" -> status = status(p);
        case "output" -> output = string(p, false);
        case "long_output" -> longOutput = string(p, false);
        case "time" -> time = longValue(p);
        case "metrics" -> metrics = list(p, where.path() + ".metrics", this::metric);
        default -> p.skipChildren();
      }
    }
    Object[] s = {service, check, status, output, longOutput, time, metrics};
    return build(
        where,
        () ->
            new CheckResult(
                required(s[0], where, "service"),
                optional(s[1], where, "check"),
                required(s[2], where, "status"),
                required(s[3], where, "output"),
                optional(s[4], where, "long_output"),
                required(s[5], where, "time"),
                optList(s[6], where, "metrics")));
  }

  private Object metric(JsonParser p, Where where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return notAn("object", p).at(where.path());
    }
    Object name = null, labels = null, value = null, unit = null;
    Object warn = null, crit = null, min = null, max = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "name" -> name = string(p, true);
        case "labels" -> labels = labels(p);
        case "value" -> value = number(p);
        case "unit" -> unit = string(p, true);
        case "warn" -> warn = number(p);
        case "crit" -> crit = number(p);
        case "min" -> min = number(p);
        case "max" -> max = number(p);
        default -> p.skipChildren();
      }
    }
    Object[] s = {name, labels, value, unit, warn, crit, min, max};
    return build(
        where,
        () ->
            new Metric(
                required(s[0], where, "name"),
                optLabels(s[1], where),
                this.<Double>required(s[2], where, "value"),
                optional(s[3], where, "unit"),
                optional(s[4], where, "warn"),
                optional(s[5], where, "crit"),
                optional(s[6], where, "min"),
                optional(s[7], where, "max")));
  }

  private Object backup(JsonParser p, Where where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return notAn("object", p).at(where.path());
    }
    Object set = null, level = null, archive = null, result = null, bytes = null, files = null;
    Object started = null, finished = null, message = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "set" -> set = string(p, false);
        case "level" -> level = string(p, false);
        case "archive" -> archive = string(p, false);
        case "result" -> result = status(p);
        case "bytes" -> bytes = longValue(p);
        case "files" -> files = longValue(p);
        case "started" -> started = longValue(p);
        case "finished" -> finished = longValue(p);
        case "message" -> message = string(p, false);
        default -> p.skipChildren();
      }
    }
    Object[] s = {set, level, archive, result, bytes, files, started, finished, message};
    return build(
        where,
        () ->
            new BackupEvent(
                required(s[0], where, "set"),
                required(s[1], where, "level"),
                optional(s[2], where, "archive"),
                required(s[3], where, "result"),
                this.<Long>required(s[4], where, "bytes"),
                this.<Long>required(s[5], where, "files"),
                this.<Long>required(s[6], where, "started"),
                this.<Long>required(s[7], where, "finished"),
                optional(s[8], where, "message")));
  }

  /** A string, {@code null}, or {@link Bad}; {@code intern} names that repeat every report. */
  private Object string(JsonParser p, boolean intern) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> intern ? interner.intern(p.getText()) : p.getText();
      case VALUE_NULL -> null;
      default -> wrong("expected a string", p);
    };
  }

  private static Object status(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> {
        try {
          yield Status.parse(p.getText());
        } catch (IllegalArgumentException e) {
          yield new Bad("", e.getMessage());
        }
      }
      case VALUE_NULL -> null;
      default -> wrong("expected OK|WARNING|CRITICAL|UNKNOWN", p);
    };
  }

  /** A long; like the tree's {@code isIntegralNumber() && canConvertToLong()}. */
  private static Object longValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    return wrong("expected an integer", p);
  }

  /** An int; Jackson types an integer as INT exactly when it fits, as the tree's IntNode. */
  private static Object integer(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    return wrong("expected an integer", p);
  }

  private static Object number(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_NULL -> null;
      default -> wrong("expected a number", p);
    };
  }

  /**
   * Labels as a sorted map (what {@link Metric} keeps), {@code null}, or {@link Bad} naming the
   * first bad label in document order of first occurrence.
   */
  private Object labels(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      return notAn("object", p);
    }
    TreeMap<String, Object> labels = new TreeMap<>();
    List<String> order = null; // first-occurrence order, kept only once a value is bad
    List<String> keys = new ArrayList<>(4);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      // Field names come canonicalised (interned) from Jackson's symbol table.
      String key = p.currentName();
      p.nextToken();
      Object value = string(p, true);
      if (value == null) {
        value = new Bad("", "expected a string, got null");
      }
      if (labels.put(key, value) == null) {
        keys.add(key);
      }
      if (value instanceof Bad) {
        order = keys;
      }
    }
    if (order != null) {
      for (String key : order) {
        if (labels.get(key) instanceof Bad b) {
          return new Bad("." + key, b.problem());
        }
      }
    }
    return labels;
  }

  /** Reads one element at the parser's current token. */
  @FunctionalInterface
  private interface Element {
    Object read(JsonParser p, Where where) throws IOException;
  }

  /** The list, {@code null}, {@link Bad} if not an array, or its first bad element's error. */
  private static Object list(JsonParser p, String path, Element element) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      return notAn("array", p);
    }
    List<Object> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      Object e = element.read(p, new Where(path, out.size()));
      if (e instanceof WireException) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          p.skipChildren();
        }
        return e;
      }
      out.add(e);
    }
    return out;
  }

  /** Describes the current value for an error and skips it. */
  private static Bad wrong(String expected, JsonParser p) throws IOException {
    Bad bad = new Bad("", expected + ", got " + describe(p));
    p.skipChildren();
    return bad;
  }

  private static Bad notAn(String kind, JsonParser p) throws IOException {
    return wrong("expected an " + kind, p);
  }

  /** The current value as the tree's {@code JsonNode.asText()} would show it. */
  private static String describe(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> "\"" + p.getText() + "\"";
      case VALUE_NUMBER_INT -> p.getNumberValue().toString();
      case VALUE_NUMBER_FLOAT -> String.valueOf(p.getDoubleValue());
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> "null";
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      default -> p.currentToken().name().toLowerCase();
    };
  }

  private static <T> T required(Object slot, Where where, String field) {
    if (slot == null) {
      throw new WireException(where.at(field), "missing");
    }
    return optional(slot, where, field);
  }

  @SuppressWarnings("unchecked")
  private static <T> T optional(Object slot, Where where, String field) {
    if (slot instanceof Bad b) {
      throw b.at(where.at(field));
    }
    if (slot instanceof WireException e) {
      throw e;
    }
    return (T) slot;
  }

  private static <T> List<T> optList(Object slot, Where where, String field) {
    List<T> list = optional(slot, where, field);
    return list == null ? List.of() : list;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> optLabels(Object slot, Where where) {
    Map<String, ?> labels = optional(slot, where, "labels");
    return labels == null ? Map.of() : (Map<String, String>) labels;
  }

  /**
   * Runs a record constructor and returns the record or what it rejected, with this object's path
   * put in front of fields the constructor names.
   */
  private static Object build(Where where, Supplier<Object> constructor) {
    try {
      return constructor.get();
    } catch (WireException e) {
      String path = where.path();
      if (path.isEmpty() || e.field().startsWith(path)) {
        return e;
      }
      return e.under(path);
    }
  }

  /** What is wrong with a value, before it is known where it sits; {@code sub} is e.g. ".mount". */
  private record Bad(String sub, String problem) {
    WireException at(String path) {
      return new WireException(path + sub, problem);
    }
  }

  /** An element of a list ({@code index ≥ 0}) or the root; its path is built only on demand. */
  private record Where(String list, int index) {
    String path() {
      return index < 0 ? list : list + "[" + index + "]";
    }

    String at(String field) {
      String path = path();
      return path.isEmpty() ? field : path + "." + field;
    }
  }
}
