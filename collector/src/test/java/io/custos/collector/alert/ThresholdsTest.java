package io.custos.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.common.wire.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
  private static Metric m(String name, double v, String unit, Double warn, Double crit) {
    return new Metric(name, Map.of(), v, unit, warn, crit, null, null);
  }

  @Test
  void namesEachMetricWithAThresholdAndLeavesTheOthersOut() {
    assertThat(
            Thresholds.line(
                List.of(
                    m("load1", 9.1, null, 4.0, 8.0),
                    m("load5", 3.0, null, null, null),
                    m("cpu_busy_percent", 100, "%", null, 95.0))))
        .isEqualTo("Thresholds: load1 9.1 (warn 4, crit 8); cpu_busy_percent 100% (crit 95%)");
    assertThat(Thresholds.line(List.of(m("load5", 3.0, null, null, null)))).isNull();
    assertThat(Thresholds.line(null)).isNull();
  }

  @Test
  void aCheckWithManyMetricsSaysHowManyItLeftOut() {
    List<Metric> many = new ArrayList<>();
    for (int i = 0; i < Thresholds.MAX + 3; i++) {
      many.add(m("m" + i, i, null, 1.0, 2.0));
    }
    assertThat(Thresholds.line(many))
        .startsWith("Thresholds: m0 0 (warn 1, crit 2); ")
        .endsWith("; 3 more");
  }
}
