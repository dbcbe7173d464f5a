package io.custos.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
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

  // ---- Issue 16: weekly windows follow local time across DST as cron does ----

  /** Minutes of the two local days from {@code day} during which {@code w} is active. */
  private static int activeMinutes(Weekly w, ZoneId zone, String day) {
    long from = java.time.LocalDate.parse(day).atStartOfDay(zone).toInstant().toEpochMilli();
    int minutes = 0;
    for (long t = from; t < from + 2 * 86_400_000L; t += 60_000) {
      minutes += w.contains(t, zone) ? 1 : 0;
    }
    return minutes;
  }

  private static long utc(String iso) {
    return java.time.Instant.parse(iso).toEpochMilli();
  }

  @Test
  void springForward_berlin_aWindowInTheGapRunsAfterItForItsLength() {
    ZoneId berlin = ZoneId.of("Europe/Berlin"); // 2026-03-29 02:00 CET -> 03:00 CEST
    Weekly w = Weekly.parse("sun 02:00-02:30");
    assertThat(w.contains(utc("2026-03-29T00:59:00Z"), berlin)).as("01:59 CET").isFalse();
    assertThat(w.contains(utc("2026-03-29T01:00:00Z"), berlin)).as("03:00 CEST").isTrue();
    assertThat(w.contains(utc("2026-03-29T01:29:59Z"), berlin)).as("03:29 CEST").isTrue();
    assertThat(w.contains(utc("2026-03-29T01:30:00Z"), berlin)).as("03:30 CEST").isFalse();
    assertThat(activeMinutes(w, berlin, "2026-03-29")).isEqualTo(30);
    Weekly across = Weekly.parse("sun 01:00-02:30");
    assertThat(across.contains(utc("2026-03-29T01:29:00Z"), berlin)).as("03:29 CEST").isTrue();
    assertThat(activeMinutes(across, berlin, "2026-03-29"))
        .as("01:00 CET to 03:30 CEST")
        .isEqualTo(90);
  }

  @Test
  void springForward_berlin_aWindowStartingInTheGapStartsAtItsEnd() {
    ZoneId berlin = ZoneId.of("Europe/Berlin"); // issue 23: both were active for 0 minutes
    for (String text : List.of("sun 02:30-03:00", "sun 02:45-03:15")) {
      Weekly w = Weekly.parse(text);
      assertThat(w.contains(utc("2026-03-29T00:59:59Z"), berlin)).as(text + " 01:59 CET").isFalse();
      assertThat(w.contains(utc("2026-03-29T01:00:00Z"), berlin)).as(text + " 03:00 CEST").isTrue();
      assertThat(w.contains(utc("2026-03-29T01:29:59Z"), berlin)).as(text + " 03:29 CEST").isTrue();
      assertThat(w.contains(utc("2026-03-29T01:30:00Z"), berlin)).as(text + " 03:30").isFalse();
      assertThat(activeMinutes(w, berlin, "2026-03-29")).as(text).isEqualTo(30);
      assertThat(activeMinutes(w, berlin, "2026-04-05")).as(text + " a week later").isEqualTo(30);
    }
  }

  @Test
  void springForward_newYork_aWindowInTheGapRunsAfterItForItsLength() {
    ZoneId ny = ZoneId.of("America/New_York"); // 2026-03-08 02:00 EST -> 03:00 EDT
    Weekly w = Weekly.parse("sun 02:00-02:30");
    assertThat(w.contains(utc("2026-03-08T06:59:00Z"), ny)).as("01:59 EST").isFalse();
    assertThat(w.contains(utc("2026-03-08T07:00:00Z"), ny)).as("03:00 EDT").isTrue();
    assertThat(w.contains(utc("2026-03-08T07:30:00Z"), ny)).as("03:30 EDT").isFalse();
    assertThat(activeMinutes(w, ny, "2026-03-08")).isEqualTo(30);
  }

  @Test
  void fallBack_berlin_aWindowInTheRepeatedHourCoversBothPasses() {
    ZoneId berlin = ZoneId.of("Europe/Berlin"); // 2026-10-25 03:00 CEST -> 02:00 CET
    Weekly w = Weekly.parse("sun 02:00-02:30");
    assertThat(w.contains(utc("2026-10-24T23:59:00Z"), berlin)).as("01:59 CEST").isFalse();
    assertThat(w.contains(utc("2026-10-25T00:00:00Z"), berlin)).as("02:00 CEST").isTrue();
    assertThat(w.contains(utc("2026-10-25T01:00:00Z"), berlin)).as("02:00 CET").isTrue();
    assertThat(w.contains(utc("2026-10-25T01:29:59Z"), berlin)).as("02:29 CET").isTrue();
    assertThat(w.contains(utc("2026-10-25T01:30:00Z"), berlin)).as("02:30 CET").isFalse();
    assertThat(activeMinutes(w, berlin, "2026-10-25")).isEqualTo(90);
  }

  @Test
  void fallBack_newYork_aWindowInTheRepeatedHourCoversBothPasses() {
    ZoneId ny = ZoneId.of("America/New_York"); // 2026-11-01 02:00 EDT -> 01:00 EST
    Weekly w = Weekly.parse("sun 01:00-01:30");
    assertThat(w.contains(utc("2026-11-01T04:59:00Z"), ny)).as("00:59 EDT").isFalse();
    assertThat(w.contains(utc("2026-11-01T05:00:00Z"), ny)).as("01:00 EDT").isTrue();
    assertThat(w.contains(utc("2026-11-01T06:00:00Z"), ny)).as("01:00 EST").isTrue();
    assertThat(w.contains(utc("2026-11-01T06:30:00Z"), ny)).as("01:30 EST").isFalse();
    assertThat(activeMinutes(w, ny, "2026-11-01")).isEqualTo(90);
  }

  @Test
  void anOrdinarySundayKeepsItsLength() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(activeMinutes(Weekly.parse("sun 02:00-02:30"), berlin, "2026-11-29")).isEqualTo(30);
    assertThat(activeMinutes(Weekly.parse("sat 23:00-01:00"), berlin, "2026-03-28"))
        .as("crossing midnight before the spring change")
        .isEqualTo(120);
  }
}
