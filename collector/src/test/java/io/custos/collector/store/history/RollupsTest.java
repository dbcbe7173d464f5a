package io.custos.collector.store.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupsTest {
  static final long H = 3_600_000L;
  static final long NOW = 1_000 * H;

  @Test
  void samplesBecomeAlignedMinAvgMaxCount() {
    Samples s = new Samples(4);
    s.add(0, 1);
    s.add(100_000, 3);
    s.add(299_999, 5);
    s.add(300_000, 7);
    assertThat(Rollups.ofSamples(s, 300_000))
        .containsExactly(new Bucket(0, 1, 5, 9, 3), new Bucket(300_000, 7, 7, 7, 1));
    assertThat(Rollups.ofSamples(s, 300_000).get(0).avg()).isEqualTo(3.0);
  }

  @Test
  void bucketsMergeExactlyIntoWiderOnes() {
    List<Bucket> five =
        List.of(
            new Bucket(0, 1, 2, 3, 2), new Bucket(300_000, 0, 9, 9, 3), new Bucket(H, 4, 4, 4, 1));
    assertThat(Rollups.ofBuckets(five, H))
        .containsExactly(new Bucket(0, 0, 9, 12, 5), new Bucket(H, 4, 4, 4, 1));
  }

  @Test
  void theQueryTierFollowsRangeAndStep() {
    HistoryRetention r = HistoryRetention.DEFAULT;
    assertThat(r.choose(NOW - H, 0, NOW)).isEqualTo(Resolution.RAW);
    assertThat(r.choose(NOW - H, 60_000, NOW)).isEqualTo(Resolution.RAW);
    assertThat(r.choose(NOW - 7 * 24 * H, 300_000, NOW)).isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(r.choose(NOW - 24 * H, 300_000, NOW)).isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(r.choose(NOW - 7 * 24 * H, 0, NOW)).isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(r.choose(NOW - 24 * H, H, NOW)).isEqualTo(Resolution.ONE_HOUR);
    assertThat(r.choose(NOW - 90 * 24 * H, 0, NOW)).isEqualTo(Resolution.ONE_HOUR);
  }

  @Test
  void retentionsMustGrowWithTheTier() {
    assertThatThrownBy(
            () -> new HistoryRetention(Duration.ofDays(3), Duration.ofDays(2), Duration.ofDays(9)))
        .hasMessage("5m: must be at least as long as raw (PT72H), got PT48H");
  }

  @Test
  void seriesKeysHaveOneCanonicalText() {
    SeriesKey k = new SeriesKey("fs_used_percent", java.util.Map.of("mount", "/", "a", "x\"y\\"));
    assertThat(k.labelText()).isEqualTo("a=\"x\\\"y\\\\\",mount=\"/\"");
    assertThat(SeriesKey.parseLabels(k.labelText())).isEqualTo(k.labels());
    assertThat(k).hasToString("fs_used_percent{a=\"x\\\"y\\\\\",mount=\"/\"}");
  }
}
