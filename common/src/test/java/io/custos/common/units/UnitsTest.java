package io.custos.common.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void parsesDurations() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("2d")).isEqualTo(Duration.ofHours(48));
  }

  @Test
  void rejectsBadDurationsNamingTheText() {
    assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("got \"30\"");
    assertThatThrownBy(() -> Durations.parse("5 minutes"))
        .hasMessageContaining("got \"5 minutes\"");
    assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("got nothing");
  }

  @Test
  void formatsDurationsShortly() {
    assertThat(Durations.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(Durations.format(Duration.ofSeconds(312))).isEqualTo("5m 12s");
    assertThat(Durations.format(Duration.ofMinutes(125))).isEqualTo("2h 5m");
    assertThat(Durations.format(Duration.ofHours(51))).isEqualTo("2d 3h");
    assertThat(Durations.format(Duration.ofSeconds(170))).isEqualTo("2m 50s");
    assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
    assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Durations.format(Duration.ofDays(3))).isEqualTo("3d");
    assertThat(Durations.format(Duration.ofMillis(999))).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofSeconds(-5))).isEqualTo("0s");
  }

  @Test
  void parsesSizesAsBinaryMultiples() {
    assertThat(ByteSize.parse("64MB").bytes()).isEqualTo(64L << 20);
    assertThat(ByteSize.parse("512KiB").bytes()).isEqualTo(512L << 10);
    assertThat(ByteSize.parse("1G").bytes()).isEqualTo(1L << 30);
    assertThat(ByteSize.parse("100").bytes()).isEqualTo(100);
    assertThat(ByteSize.parse("64MB").toString()).isEqualTo("64MB");
    assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("got \"lots\"");
  }

  @Test
  void parsesPercentages() {
    assertThat(Percent.parse("80%").value()).isEqualTo(80.0);
    assertThat(Percent.parse("99.5").value()).isEqualTo(99.5);
    assertThatThrownBy(() -> Percent.parse("180%")).hasMessageContaining("between 0% and 100%");
    assertThatThrownBy(() -> Percent.parse("eighty")).hasMessageContaining("got \"eighty\"");
  }
}
