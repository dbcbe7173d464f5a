package io.custos.collector.store.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.custos.common.wire.Metric;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A result's metrics as the JSON array the {@code service_state.metrics} column keeps, written
 * field by field on Jackson's streaming generator: the same text as {@code
 * ObjectMapper.writeValueAsString(metrics)} (record components in order, null ones left out, as
 * {@link Metric}'s {@code @JsonInclude(NON_NULL)} says), without the reflective record serializer,
 * which took a fifth of the SQLite ingest path's CPU time (50 results a report).
 */
final class MetricsJson {
  private MetricsJson() {}

  /** {@code metrics} as a JSON array. */
  static String write(JsonFactory factory, List<Metric> metrics) {
    StringWriter out = new StringWriter(64 + 96 * metrics.size());
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartArray();
      for (Metric m : metrics) {
        g.writeStartObject();
        g.writeStringField("name", m.name());
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> e : m.labels().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("value", m.value());
        if (m.unit() != null) {
          g.writeStringField("unit", m.unit());
        }
        optional(g, "warn", m.warn());
        optional(g, "crit", m.crit());
        optional(g, "min", m.min());
        optional(g, "max", m.max());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics as JSON", e);
    }
    return out.toString();
  }

  private static void optional(JsonGenerator g, String name, Double value) throws IOException {
    if (value != null) {
      g.writeNumberField(name, value.doubleValue());
    }
  }
}
