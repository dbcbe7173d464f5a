package io.custos.collector.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.common.wire.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link MetricsJson} writes what the store wrote before: ObjectMapper's text of the list. */
class MetricsJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  private void assertSameAsObjectMapper(List<Metric> metrics) throws JsonProcessingException {
    assertThat(MetricsJson.write(mapper.getFactory(), metrics))
        .isEqualTo(mapper.writeValueAsString(metrics));
  }

  @Test
  void everyFieldAndNoneOfTheOptionalOnes() throws JsonProcessingException {
    assertSameAsObjectMapper(List.of());
    assertSameAsObjectMapper(
        List.of(
            new Metric("fs_used_percent", Map.of("mount", "/"), 30.1, "%", 80.0, 90.0, 0.0, 100.0),
            Metric.of("fs_free_bytes", Map.of("mount", "/", "device", "/dev/vda1"), 5.2e9, "B"),
            Metric.of("load1", Map.of(), 0.25, null),
            new Metric("x", Map.of(), -0.0, null, null, -1e-7, null, 1e300)));
  }

  @Test
  void labelValuesNeedingEscapesAndOddNumbers() throws JsonProcessingException {
    SplittableRandom random = new SplittableRandom(11);
    String[] values = {"", "\"quoted\"", "back\\slash", "tab\there", "nl\n", "é ü 日本", "\u0001"};
    double[] numbers = {0, 1, -1, 0.1, 1.0 / 3, 123456789012.0, 9.007199254740993e15, 4.9e-324};
    List<Metric> metrics = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Double warn = random.nextBoolean() ? numbers[random.nextInt(numbers.length)] : null;
      metrics.add(
          new Metric(
              "m_" + i,
              Map.of("a", values[random.nextInt(values.length)], "b_" + i, "v"),
              numbers[random.nextInt(numbers.length)] * (random.nextBoolean() ? 1 : -1e5),
              random.nextBoolean() ? "s" : null,
              warn,
              random.nextBoolean() ? random.nextDouble() : null,
              null,
              random.nextBoolean() ? 100.0 : null));
    }
    assertSameAsObjectMapper(metrics);
  }
}
