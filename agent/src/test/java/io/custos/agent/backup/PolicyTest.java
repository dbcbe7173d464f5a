package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Levels from the weekly table, bases, chains for a time, and retention; pure, no files. */
class PolicyTest {
  private final List<Catalog.Item> items = new ArrayList<>();

  private Catalog.Item add(String stamp, Level level, Catalog.Item base) {
    ArchiveName n = new ArchiveName("n1", "www", Instant.parse(stamp), level, Compression.ZSTD);
    Catalog.Item i =
        new Catalog.Item(
            n, Path.of("/b").resolve(n.fileName()), 1, base == null ? null : base.fileName(), true);
    items.add(i);
    return i;
  }

  private static BackupSetConfig set(Map<String, Level> week) {
    return new BackupSetConfig(
        "www",
        null,
        List.of(Path.of("srv")),
        null,
        null,
        null,
        null,
        null,
        week,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void defaultWeekIsFullOnSundayAndDiffOtherwise() {
    BackupSetConfig s = set(null);
    assertThat(s.levelOn(DayOfWeek.SUNDAY)).contains(Level.FULL);
    assertThat(s.levelOn(DayOfWeek.WEDNESDAY)).contains(Level.DIFF);
    assertThat(s.atTime().toString()).isEqualTo("01:00");
    BackupSetConfig custom = set(Map.of("sat", Level.FULL, "mon", Level.INCR));
    assertThat(custom.levelOn(DayOfWeek.MONDAY)).contains(Level.INCR);
    assertThat(custom.levelOn(DayOfWeek.TUESDAY)).isEmpty();
    // 2026-11-29 is a Sunday
    assertThat(BackupRunner.scheduledLevel(s, ZonedDateTime.parse("2026-11-29T01:00:00Z")))
        .isEqualTo(Level.FULL);
    assertThat(BackupRunner.scheduledLevel(s, ZonedDateTime.parse("2026-11-30T01:00:00Z")))
        .isEqualTo(Level.DIFF);
  }

  @Test
  void diffOrIncrWithoutAFullBecomesAFullAndSaysSo() {
    Chains.Plan p = Chains.plan(Level.DIFF, List.of());
    assertThat(p.level()).isEqualTo(Level.FULL);
    assertThat(p.base()).isNull();
    assertThat(p.note()).contains("no full archive yet");
  }

  @Test
  void diffIsAgainstTheLastFullAndIncrAgainstThePreviousArchive() {
    Catalog.Item f1 = add("2026-11-22T01:00:00Z", Level.FULL, null);
    Catalog.Item d1 = add("2026-11-23T01:00:00Z", Level.DIFF, f1);
    Catalog.Item i1 = add("2026-11-24T01:00:00Z", Level.INCR, d1);
    assertThat(Chains.plan(Level.DIFF, items).base()).isEqualTo(f1);
    assertThat(Chains.plan(Level.INCR, items).base()).isEqualTo(i1);
    assertThat(Chains.plan(Level.FULL, items).base()).isNull();
  }

  @Test
  void chainAtATimeIsTheLastFullAndWhatFollowsUpToThatTime() {
    Catalog.Item f1 = add("2026-11-22T01:00:00Z", Level.FULL, null);
    Catalog.Item d1 = add("2026-11-23T01:00:00Z", Level.DIFF, f1);
    Catalog.Item d2 = add("2026-11-24T01:00:00Z", Level.DIFF, f1);
    Catalog.Item i1 = add("2026-11-25T01:00:00Z", Level.INCR, d2);
    Catalog.Item f2 = add("2026-11-29T01:00:00Z", Level.FULL, null);
    Catalog.Item i2 = add("2026-11-30T01:00:00Z", Level.INCR, f2);

    assertThat(Chains.chainAt(items, Instant.parse("2026-11-23T12:00:00Z")))
        .containsExactly(f1, d1);
    assertThat(Chains.chainAt(items, Instant.parse("2026-11-25T01:00:00Z")))
        .containsExactly(f1, d2, i1);
    assertThat(Chains.chainAt(items, Instant.parse("2026-11-28T00:00:00Z")))
        .containsExactly(f1, d2, i1);
    assertThat(Chains.chainAt(items, Instant.MAX)).containsExactly(f2, i2);
    assertThatThrownBy(() -> Chains.chainAt(items, Instant.parse("2026-11-21T00:00:00Z")))
        .hasMessageContaining("no archive made at or before 2026-11-21T00:00:00Z");
  }

  @Test
  void aChainWithAMissingBaseIsReportedNotGuessed() {
    Catalog.Item f1 = add("2026-11-22T01:00:00Z", Level.FULL, null);
    Catalog.Item d1 = add("2026-11-23T01:00:00Z", Level.DIFF, f1);
    items.remove(f1);
    assertThatThrownBy(() -> Chains.chainAt(items, Instant.MAX))
        .hasMessageContaining("chain broken: " + d1.fileName() + " needs " + f1.fileName());
  }

  @Test
  void retentionNeverDeletesAnArchiveAKeptOneDependsOn() {
    Catalog.Item f1 = add("2026-11-01T01:00:00Z", Level.FULL, null);
    Catalog.Item d1 = add("2026-11-02T01:00:00Z", Level.DIFF, f1);
    Catalog.Item i1 = add("2026-11-03T01:00:00Z", Level.INCR, d1);
    Catalog.Item i2 = add("2026-11-20T01:00:00Z", Level.INCR, i1); // young, needs i1, d1, f1
    Catalog.Item f0 = items.get(0);
    Retention.Decision d =
        Retention.decide(
            items, new BackupSetConfig.Keep(14, 0), Instant.parse("2026-11-27T00:00:00Z"));
    assertThat(d.keep()).containsExactly(f0, d1, i1, i2);
    assertThat(d.delete()).isEmpty();
  }

  @Test
  void retentionDeletesWholeOldChainsByAgeAndKeepsTheNewestCount() {
    Catalog.Item f1 = add("2026-11-01T01:00:00Z", Level.FULL, null);
    Catalog.Item d1 = add("2026-11-02T01:00:00Z", Level.DIFF, f1);
    Catalog.Item d2 = add("2026-11-03T01:00:00Z", Level.DIFF, f1);
    Catalog.Item f2 = add("2026-11-22T01:00:00Z", Level.FULL, null);
    Catalog.Item i1 = add("2026-11-23T01:00:00Z", Level.INCR, f2);
    Instant now = Instant.parse("2026-11-27T00:00:00Z");

    Retention.Decision byAge = Retention.decide(items, new BackupSetConfig.Keep(14, 0), now);
    assertThat(byAge.delete()).containsExactly(f1, d1, d2);
    assertThat(byAge.keep()).containsExactly(f2, i1);

    // The newest 3 are d2, f2, i1; d2 needs f1, but d1 is free to go.
    Retention.Decision byCount = Retention.decide(items, new BackupSetConfig.Keep(0, 3), now);
    assertThat(byCount.delete()).containsExactly(d1);

    // Backups stopped long ago: the newest chain survives any age limit.
    Retention.Decision stale =
        Retention.decide(
            items, new BackupSetConfig.Keep(1, 0), Instant.parse("2027-06-01T00:00:00Z"));
    assertThat(stale.keep()).containsExactly(f2, i1);
  }

  @Test
  void anArchiveWithoutManifestProtectsEverythingBeforeIt() {
    Catalog.Item f1 = add("2026-11-01T01:00:00Z", Level.FULL, null);
    ArchiveName n =
        new ArchiveName(
            "n1", "www", Instant.parse("2026-11-02T01:00:00Z"), Level.DIFF, Compression.ZSTD);
    Catalog.Item broken = new Catalog.Item(n, Path.of("/b").resolve(n.fileName()), 1, null, false);
    items.add(broken);
    Catalog.Item f2 = add("2026-11-25T01:00:00Z", Level.FULL, null);
    Retention.Decision d =
        Retention.decide(
            items, new BackupSetConfig.Keep(14, 0), Instant.parse("2026-11-27T00:00:00Z"));
    assertThat(d.keep()).containsExactly(f1, broken, f2);
  }
}
