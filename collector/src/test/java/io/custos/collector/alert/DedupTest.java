package io.custos.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Notices of one batch that cancel each other, as Alertmanager's DedupStage decides. */
class DedupTest {
  private static Notice n(NoticeType type, String service, Status status, int number) {
    return new Notice(
        type, "web01", service, status, "out", 0, 0, 1, 1, null, null, number, 0, null, 0);
  }

  private static List<String> kept(Notice... batch) {
    boolean[] out = Dedup.cancelled(List.of(batch));
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < batch.length; i++) {
      if (!out[i]) {
        kept.add(batch[i].type() + " " + batch[i].service());
      }
    }
    return kept;
  }

  @Test
  void alertmanager_dedup_aProblemHardAndRecoveredWithinGroupWaitSendsNothing() {
    assertThat(
            kept(
                n(NoticeType.PROBLEM, "Load", Status.CRITICAL, 1),
                n(NoticeType.RECOVERY, "Load", Status.OK, 2)))
        .isEmpty();
  }

  @Test
  void alertmanager_dedup_anAcknowledgementBetweenGoesWithThem_otherServicesStay() {
    assertThat(
            kept(
                n(NoticeType.PROBLEM, "Load", Status.CRITICAL, 1),
                n(NoticeType.PROBLEM, "Disk", Status.WARNING, 1),
                n(NoticeType.ACKNOWLEDGEMENT, "Load", Status.CRITICAL, 0),
                n(NoticeType.RECOVERY, "Load", Status.OK, 2)))
        .containsExactly("PROBLEM Disk");
  }

  @Test
  void alertmanager_dedup_aRecoveryOfAProblemToldEarlierAlwaysGoesOut() {
    assertThat(
            kept(
                n(NoticeType.PROBLEM, "Load", Status.CRITICAL, 2),
                n(NoticeType.RECOVERY, "Load", Status.OK, 3)))
        .as("a reminder and its recovery: the recipients knew of the problem")
        .containsExactly("PROBLEM Load", "RECOVERY Load");
    assertThat(kept(n(NoticeType.RECOVERY, "Load", Status.OK, 2))).containsExactly("RECOVERY Load");
  }

  @Test
  void alertmanager_dedup_problemRecoveryProblemLeavesTheLastProblem() {
    assertThat(
            kept(
                n(NoticeType.PROBLEM, "Load", Status.CRITICAL, 1),
                n(NoticeType.RECOVERY, "Load", Status.OK, 2),
                n(NoticeType.PROBLEM, "Load", Status.CRITICAL, 1)))
        .containsExactly("PROBLEM Load");
  }

  @Test
  void nagios_downtimeNotices_aDowntimeStartedAndCancelledWithinGroupWaitSendsNothing() {
    assertThat(
            kept(
                n(NoticeType.DOWNTIMESTART, "Host Alive", Status.OK, 0),
                n(NoticeType.DOWNTIMECANCELLED, "Host Alive", Status.OK, 0)))
        .isEmpty();
    assertThat(kept(n(NoticeType.DOWNTIMEEND, "Host Alive", Status.OK, 0)))
        .containsExactly("DOWNTIMEEND Host Alive");
  }
}
