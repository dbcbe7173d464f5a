package io.custos.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Backoff B = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(15), 0.2);

  @Test
  void theCeilingDoublesFromTheFirstWaitUpToTheMax() {
    assertThat(B.ceiling(0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(B.ceiling(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(B.ceiling(2)).isEqualTo(Duration.ofMinutes(1));
    assertThat(B.ceiling(5)).isEqualTo(Duration.ofMinutes(8));
    assertThat(B.ceiling(6)).isEqualTo(Duration.ofMinutes(15));
    assertThat(B.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void jitterTakesUpToItsShareOffTheCeiling() {
    RandomGenerator none = () -> 0L;
    RandomGenerator most = () -> -1L; // nextDouble() just below 1
    assertThat(B.delay(2, none)).isEqualTo(Duration.ofMinutes(1));
    assertThat(B.delay(2, most)).isEqualTo(Duration.ofMillis(48_001));
    SplittableRandom random = new SplittableRandom(7);
    long distinct =
        java.util.stream.IntStream.range(0, 200)
            .mapToObj(i -> B.delay(6, random))
            .peek(d -> assertThat(d).isBetween(Duration.ofMinutes(12), Duration.ofMinutes(15)))
            .distinct()
            .count();
    assertThat(distinct).as("waits are spread, not one value").isGreaterThan(100);
  }

  @Test
  void badSettingsAreRefusedWithTheValue() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMinutes(1), 0))
        .hasMessage("first wait must be positive, got PT0S");
    assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1), 0))
        .hasMessage("max wait must be at least the first (PT2M), got PT1M");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 1))
        .hasMessage("jitter must be from 0 to below 1, got 1.0");
  }
}
