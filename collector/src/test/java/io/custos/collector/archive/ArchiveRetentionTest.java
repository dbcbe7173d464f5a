package io.custos.collector.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention from the index: by age, never cutting a chain, keeping min_full fulls. */
class ArchiveRetentionTest {
  static final Instant T0 = Instant.parse("2026-01-01T01:00:00Z");

  @TempDir Path dir;
  final TestClock clock = new TestClock(T0);
  final List<String> journal = new ArrayList<>();

  ArchiveStore store() {
    ArchiveStore s = new ArchiveStore(dir, 1L << 30, clock);
    s.open();
    return s;
  }

  ArchiveRetention retention(ArchiveStore s, int days, int minFull) {
    return new ArchiveRetention(
        s,
        days,
        minFull,
        clock,
        (node, set, object, why) -> journal.add(node + " " + set + " " + object + ": " + why));
  }

  /**
   * Uploads an archive of node web01, set www, created {@code day} days after T0, and its manifest.
   */
  String put(ArchiveStore s, int day, String level, String base) throws Exception {
    // uploaded when made, as an agent does: the store refuses creation times in its future
    advanceTo(Duration.ofDays(day));
    String created = T0.plus(Duration.ofDays(day)).toString();
    String name =
        "web01.www." + created.replaceAll("[-:]", "").replace(".000", "") + "." + level + ".tar";
    String manifest = name + ".manifest.json";
    upload(s, name, new ArchiveIndex.Fields("www", level, base, created, "none", manifest));
    upload(s, manifest, new ArchiveIndex.Fields(null, null, null, null, null, null));
    return name;
  }

  static void upload(ArchiveStore s, String name, ArchiveIndex.Fields f) throws Exception {
    byte[] body = name.getBytes(StandardCharsets.UTF_8);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    Upload u = s.begin("web01", name, body.length, sha, f);
    u.write(ByteBuffer.wrap(body));
    u.finish();
  }

  /** Moves the clock forward to {@code T0 + sinceT0}; never back. */
  void advanceTo(Duration sinceT0) {
    Duration ahead = Duration.between(clock.instant(), T0.plus(sinceT0));
    if (!ahead.isNegative()) {
      clock.advance(ahead);
    }
  }

  List<String> stored() throws Exception {
    List<String> out = new ArrayList<>();
    for (ArchiveIndex a : store().objects("web01")) {
      out.add(a.object());
    }
    return out;
  }

  @Test
  void oldChainsGoWholeAndAChainAYoungArchiveNeedsStays() throws Exception {
    ArchiveStore s = store();
    String f0 = put(s, 0, "full", null);
    String i1 = put(s, 1, "incr", f0);
    String f7 = put(s, 7, "full", null);
    String d8 = put(s, 8, "diff", f7);
    String i9 = put(s, 9, "incr", d8);
    String f14 = put(s, 14, "full", null);
    String i15 = put(s, 15, "incr", f14);
    // Day 45 with 30 days kept: only i15... (day 15) is young; f0's chain is old and not needed.
    advanceTo(Duration.ofDays(45).minusHours(1));

    List<String> deleted = retention(s, 30, 1).run();

    assertThat(deleted)
        .containsExactlyInAnyOrder(
            "web01/" + f0, "web01/" + f0 + ".manifest.json",
            "web01/" + i1, "web01/" + i1 + ".manifest.json",
            "web01/" + f7, "web01/" + f7 + ".manifest.json",
            "web01/" + d8, "web01/" + d8 + ".manifest.json",
            "web01/" + i9, "web01/" + i9 + ".manifest.json");
    assertThat(stored())
        .containsExactlyInAnyOrder(f14, i15, f14 + ".manifest.json", i15 + ".manifest.json");
    assertThat(dir.resolve("web01").resolve(f0)).doesNotExist();
    assertThat(dir.resolve("web01").resolve(f0 + ".meta.json")).doesNotExist();
    assertThat(journal).hasSize(5);
    assertThat(journal.get(0)).startsWith("web01 www ").contains("retention deleted archive");
  }

  /**
   * Issue 22: the node's clock stepped back between two fulls, so the newer chain's full has the
   * older stamp. min_full counts chains in the order they reached the collector.
   */
  @Test
  void theNewestChainIsTheOneUploadedLastNotTheOneWithTheLatestStamp() throws Exception {
    ArchiveStore s = store();
    String f10 = put(s, 10, "full", null);
    clock.advance(Duration.ofHours(1));
    String f9 = put(s, 9, "full", null); // made after f10, stamped a day earlier
    String i9 = put(s, 9, "incr", f9);
    clock.advance(Duration.ofDays(45));

    retention(s, 30, 1).run();

    assertThat(stored())
        .containsExactlyInAnyOrder(f9, i9, f9 + ".manifest.json", i9 + ".manifest.json")
        .doesNotContain(f10);
  }

  @Test
  void aBaseOlderThanDaysIsKeptWhileAKeptArchiveDependsOnIt() throws Exception {
    ArchiveStore s = store();
    String f0 = put(s, 0, "full", null);
    String i1 = put(s, 1, "incr", f0);
    String i40 = put(s, 40, "incr", i1);
    advanceTo(Duration.ofDays(45));

    assertThat(retention(s, 30, 1).run()).isEmpty();
    assertThat(stored()).contains(f0, i1, i40);
  }

  @Test
  void minFullKeepsTheNewestFullsWithTheirChainsWhateverTheirAge() throws Exception {
    ArchiveStore s = store();
    String f0 = put(s, 0, "full", null);
    String f10 = put(s, 10, "full", null);
    String i11 = put(s, 11, "incr", f10);
    String f20 = put(s, 20, "full", null);
    String d21 = put(s, 21, "diff", f20);
    advanceTo(Duration.ofDays(400));

    List<String> deleted = retention(s, 30, 2).run();

    assertThat(deleted).containsExactlyInAnyOrder("web01/" + f0, "web01/" + f0 + ".manifest.json");
    assertThat(stored()).contains(f10, i11, f20, d21);
    assertThat(retention(s, 30, 2).run()).isEmpty();
  }

  @Test
  void setsAreKeptApartAndOpenCleansUnfinishedUploads() throws Exception {
    ArchiveStore s = store();
    put(s, 0, "full", null);
    upload(
        s,
        "web01.db.20260101T010000Z.full.tar",
        new ArchiveIndex.Fields(
            "db", "full", null, T0.toString(), "none", "web01.db.x.manifest.json"));
    Files.writeString(dir.resolve("web01/.incoming/web01.www.y.full.tar.abcd"), "partial");
    Files.writeString(dir.resolve("web01/web01.www.z.full.tar"), "bytes without an index");
    advanceTo(Duration.ofDays(100));

    assertThat(retention(s, 30, 1).run()).isEmpty();
    assertThat(new ArchiveStore(dir, 1L << 30, clock).open()).isEqualTo(2);
    assertThat(dir.resolve("web01/.incoming/web01.www.y.full.tar.abcd")).doesNotExist();
    assertThat(dir.resolve("web01/web01.www.z.full.tar")).doesNotExist();
  }
}
