package io.custos.agent.check.raid;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Fixtures;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaidCheckTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_783_507_801L), ZoneOffset.UTC);

  private static CheckResult run(String fixture) throws Exception {
    return run(fixture, RaidConfig.defaults());
  }

  private static CheckResult run(String fixture, RaidConfig config) throws Exception {
    List<CheckResult> r =
        new RaidCheck(config).run(new CheckContext(Fixtures.root(fixture), CLOCK));
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  void degradedRaid1NamesTheFailedMember() throws Exception {
    CheckResult r = run("raid1-degraded");

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "RAID CRITICAL - md0 degraded: sdb1 failed (1 of 2 members); ok: md1 raid1 [UU]");
    assertThat(r.metrics())
        .contains(
            Metric.of("md_degraded", Map.of("array", "md0"), 1, null),
            Metric.of("md_disks_active", Map.of("array", "md0"), 1, null),
            Metric.of("md_degraded", Map.of("array", "md1"), 0, null));
  }

  @Test
  void removedMemberIsNamedBySlot() throws Exception {
    assertThat(run("raid1-removed").output())
        .isEqualTo("RAID CRITICAL - md0 degraded: member slot 1 missing (1 of 2 members)");
  }

  @Test
  void resyncingRaid5AndRebuildingArrayAreWarningsWithProgress() throws Exception {
    CheckResult r = run("raid5-resync");

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .isEqualTo(
            "RAID WARNING - md1 resync 27.9% (finish in 70.3min); md2 degraded: sdh1 rebuilding"
                + " 4.1% (finish in 101.2min) (2 of 3 members); ok: md3 raid1 [UU] check 52.3%"
                + " (finish in 25.0min)");
    assertThat(r.metrics())
        .contains(
            new Metric(
                "md_sync_percent", Map.of("array", "md1"), 27.9, "%", null, null, 0.0, 100.0));
  }

  @Test
  void inactiveArrayIsCritical() throws Exception {
    CheckResult r = run("md-inactive");

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).isEqualTo("RAID CRITICAL - md127 inactive (2 members: sdc1, sdb1)");
  }

  @Test
  void healthyArrays() throws Exception {
    CheckResult r = run("md-healthy");

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("RAID OK - md0 raid1 [UU], md1 raid10 [UUUU]");
  }

  @Test
  void configuredArrayThatIsMissingIsCritical() throws Exception {
    RaidConfig c = new RaidConfig(List.of("md0", "md9"));
    assertThat(run("md-healthy", c).output())
        .isEqualTo("RAID CRITICAL - md9 missing; ok: md0 raid1 [UU]");
  }

  @Test
  void noMdstatMeansNoArrays(@TempDir Path root) throws Exception {
    List<CheckResult> r = new RaidCheck(RaidConfig.defaults()).run(new CheckContext(root, CLOCK));
    assertThat(r.get(0).output()).isEqualTo("RAID OK - no md arrays");
  }

  @Test
  void parsesMembersAndMarks() throws Exception {
    List<RaidCheck.Array> a =
        RaidCheck.parseMdstat(Fixtures.lines("raid1-degraded", "proc/mdstat"));
    assertThat(a).extracting(RaidCheck.Array::name).containsExactly("md0", "md1");
    assertThat(a.get(0).members()).containsExactly("sdb1", "sda1");
    assertThat(a.get(0).failed()).containsExactly("sdb1");
    assertThat(a.get(0).slots()).isEqualTo("U_");
  }
}
