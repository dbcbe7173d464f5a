package io.custos.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeeklyTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static long at(String iso) {
    return ZonedDateTime.parse(iso).toInstant().toEpochMilli();
  }

  @Test
  void sundaysOneToThree() {
    Weekly w = Weekly.parse("sun 01:00-03:00");
    assertThat(w.contains(at("2026-11-29T01:00:00Z"), UTC)).isTrue();
    assertThat(w.contains(at("2026-11-29T02:59:59Z"), UTC)).isTrue();
    assertThat(w.contains(at("2026-11-29T03:00:00Z"), UTC)).isFalse();
    assertThat(w.contains(at("2026-11-29T00:59:59Z"), UTC)).isFalse();
    assertThat(w.contains(at("2026-11-30T01:30:00Z"), UTC)).as("a Monday").isFalse();
  }

  @Test
  void aWindowCrossingMidnightBelongsToItsStartDay() {
    Weekly w = Weekly.parse("sat 22:00-02:00");
    assertThat(w.contains(at("2026-11-28T23:00:00Z"), UTC)).isTrue();
    assertThat(w.contains(at("2026-11-29T01:00:00Z"), UTC)).as("Sunday morning").isTrue();
    assertThat(w.contains(at("2026-11-29T23:00:00Z"), UTC)).as("Sunday evening").isFalse();
  }

  @Test
  void dailyAndListsAndTheCollectorsZone() {
    assertThat(Weekly.parse("daily 01:00-03:00").days()).hasSize(7);
    assertThat(Weekly.parse("mon,wed 01:00-03:00").days())
        .isEqualTo(Set.of(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.WEDNESDAY));
    Weekly w = Weekly.parse("sun 01:00-03:00");
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(w.contains(at("2026-11-29T00:30:00Z"), berlin)).as("01:30 in Berlin").isTrue();
  }

  @Test
  void badTextIsNamed() {
    assertThatThrownBy(() -> Weekly.parse("sunday 1-3")).hasMessageContaining("\"sunday 1-3\"");
    assertThatThrownBy(() -> Weekly.parse("xyz 01:00-03:00")).hasMessageContaining("unknown day");
  }

  @Test
  void downtimeCoversHostServiceOrGroup() {
    Downtime host = new Downtime(1, "web01", null, null, 0, Long.MAX_VALUE, null, "a", "");
    Downtime svc = new Downtime(2, "web01", "Load", null, 0, Long.MAX_VALUE, null, "a", "");
    Downtime grp = new Downtime(3, null, null, "web", 0, Long.MAX_VALUE, null, "a", "");
    assertThat(host.covers("web01", Set.of(), "Anything")).isTrue();
    assertThat(svc.covers("web01", Set.of(), "Load")).isTrue();
    assertThat(svc.covers("web01", Set.of(), "Memory")).isFalse();
    assertThat(grp.covers("web02", Set.of("web"), "Memory")).isTrue();
    assertThat(grp.covers("db01", Set.of("db"), "Memory")).isFalse();
    Downtime oneOff = new Downtime(4, "web01", null, null, 1000, 2000, null, "a", "");
    assertThat(oneOff.activeAt(999, UTC)).isFalse();
    assertThat(oneOff.activeAt(1000, UTC)).isTrue();
    assertThat(oneOff.activeAt(2000, UTC)).isFalse();
  }
}
