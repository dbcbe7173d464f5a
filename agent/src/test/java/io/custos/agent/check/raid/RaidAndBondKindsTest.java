package io.custos.agent.check.raid;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.net.BondCheck;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Further inputs of the RAID and bonding fault kinds of issue 10, beyond the captured cases. */
class RaidAndBondKindsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L), ZoneOffset.UTC);

  @TempDir Path root;

  private void write(String relative, String text) throws Exception {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private CheckResult raid() throws Exception {
    return new RaidCheck(RaidConfig.defaults()).run(new CheckContext(root, CLOCK)).get(0);
  }

  @Test
  void ddfContainerIsListedAndItsVolumeJudged() throws Exception {
    write(
        "proc/mdstat",
        """
        Personalities : [raid1]
        md126 : active raid1 sda[1] sdb[0]
              976759808 blocks super external:/md127/0 [2/1] [U_]

        md127 : inactive sdb[1](S) sda[0](S)
              2184 blocks super external:ddf

        unused devices: <none>
        """);

    CheckResult r = raid();

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "RAID CRITICAL - md126 degraded: member slot 1 missing (1 of 2 members); ok: md127 ddf"
                + " container (2 members)");
  }

  @Test
  void sysfsDegradedBrokenAndMismatchCountAreRead() throws Exception {
    write(
        "proc/mdstat",
        """
        Personalities : [raid1] [raid0]
        md0 : active raid1 sdb1[1] sda1[0]
              976630464 blocks super 1.2 [2/2] [UU]

        md1 : active raid0 sdc1[1] sdd1[0]
              1953260544 blocks super 1.2 512k chunks

        unused devices: <none>
        """);
    write("sys/block/md0/md/sync_action", "idle\n");
    write("sys/block/md0/md/mismatch_cnt", "128\n");
    write("sys/block/md0/md/degraded", "0\n");
    write("sys/block/md1/md/array_state", "broken\n");

    CheckResult r = raid();

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "RAID CRITICAL - md1 broken (array_state), a member is missing; ok: md0 raid1 [UU],"
                + " mismatch_cnt 128 after the last check");
    assertThat(r.metrics())
        .contains(Metric.of("md_mismatch_sectors", Map.of("array", "md0"), 128, null));
  }

  @Test
  void memberQueuedForRebuildIsNotMissing() throws Exception {
    // md1 waits for md0's rebuild; its new member sdb2 is listed with a role beyond the disks.
    write(
        "proc/mdstat",
        """
        Personalities : [raid1]
        md0 : active raid1 sdb1[2] sda1[0]
              976630464 blocks super 1.2 [2/1] [U_]
              [>....................]  recovery =  1.5% (14649600/976630464) finish=98.3min speed=163000K/sec

        md1 : active raid1 sdb2[2] sda2[0]
              3677184 blocks super 1.2 [2/1] [U_]
                resync=DELAYED

        unused devices: <none>
        """);
    write("sys/block/md1/md/sync_action", "recover\n");
    write("sys/block/md1/md/sync_completed", "delayed\n");

    CheckResult r = raid();

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .isEqualTo(
            "RAID WARNING - md0 degraded: sdb1 rebuilding 1.5% (finish in 98.3min) (1 of 2"
                + " members); md1 degraded: sdb2 rebuilding delayed (1 of 2 members)");
  }

  @Test
  void aReplacementBeingRebuiltIsNamedNotMissing() throws Exception {
    // prometheus/procfs PR #676: mdadm --replace /dev/sdb1 --with /dev/sdk1, as posted
    write(
        "proc/mdstat",
        """
        Personalities : [raid6] [raid5] [raid4] [raid0] [raid1] [raid10]
        md0 : active raid5 sdk1[6](R) sdf1[5](S) sdg1[4] sdc1[2] sde1[1] sdb1[0]
              14650718208 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/4] [UUUU]
              [>....................]  recovery =  1.4% (72694748/4883572736) finish=1601.3min speed=50071K/sec
              bitmap: 0/37 pages [0KB], 65536KB chunk

        unused devices: <none>
        """);

    CheckResult r = raid();

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .isEqualTo(
            "RAID WARNING - md0: sdk1 rebuilding as a replacement 1.4% (finish in 1601.3min)");
  }

  @Test
  void aMemberReAddedWithItsOldRoleIsRebuildingNotMissing() throws Exception {
    // monitoring-plugins #995's array (CentOS 3.5, [2/1] [_U], recovery), once with the new member
    // listed beyond the disks as posted, once re-added into its old role 0 (mdadm --re-add)
    String posted =
        """
        Personalities : [raid1]
        read_ahead 1024 sectors
        Event: 8
        md0 : active raid1 sdb1[2] sda1[1]
              2097024 blocks [2/1] [_U]
              [>....................]  recovery =  0.4% (10168/2097024) finish=23.8min speed=1452K/sec
        unused devices: <none>
        """;
    for (String mdstat : List.of(posted, posted.replace("sdb1[2]", "sdb1[0]"))) {
      write("proc/mdstat", mdstat);

      CheckResult r = raid();

      assertThat(r.status()).isEqualTo(Status.WARNING);
      assertThat(r.output())
          .isEqualTo(
              "RAID WARNING - md0 degraded: sdb1 rebuilding 0.4% (finish in 23.8min) (1 of 2"
                  + " members)");
    }
  }

  private static CheckResult bond(String text) {
    return BondCheck.result(BondCheck.parse("bond0", text.lines().toList()), 1L);
  }

  @Test
  void lacpNeverNegotiatedChurnedAndMixedSpeedsAreWarnings() {
    CheckResult r =
        bond(
            """
            Bonding Mode: IEEE 802.3ad Dynamic link aggregation
            MII Status: up
            Active Aggregator Info:
            	Aggregator ID: 1
            	Number of ports: 1
            	Partner Mac Address: 00:00:00:00:00:00

            Slave Interface: eno1
            MII Status: up
            Speed: 10000 Mbps
            Aggregator ID: 1
            Actor Churn State: churned
            Partner Churn State: churned

            Slave Interface: eno2
            MII Status: up
            Speed: 1000 Mbps
            Aggregator ID: 1
            Actor Churn State: none
            Partner Churn State: none
            details partner lacp pdu:
                system mac address: 00:1c:73:aa:bb:cc
            """);

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .startsWith(
            "BOND WARNING - aggregator 1 has partner MAC 00:00:00:00:00:00 (LACP never negotiated"
                + " with the switch); eno1 LACP churned (the switch port does not answer LACP);"
                + " mixed slave speeds (eno1 10000Mb/s, eno2 1000Mb/s): they cannot share one"
                + " aggregator - bond0");
  }

  @Test
  void healthyActiveBackupBondWithMixedSpeedsIsFine() {
    CheckResult r =
        bond(
            """
            Bonding Mode: fault-tolerance (active-backup)
            Currently Active Slave: eno1
            MII Status: up

            Slave Interface: eno1
            MII Status: up
            Speed: 10000 Mbps

            Slave Interface: eno2
            MII Status: up
            Speed: 1000 Mbps
            """);

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(List.of(r.output())).allMatch(o -> !o.contains("mixed"));
  }
}
