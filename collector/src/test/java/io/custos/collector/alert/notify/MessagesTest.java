package io.custos.collector.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.alert.Notice;
import io.custos.collector.alert.NoticeType;
import io.custos.common.wire.Status;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a mail says, compared with Nagios's notification macros. */
class MessagesTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static Notice notice(
      NoticeType type,
      String service,
      Status status,
      long time,
      long since,
      int number,
      long firstSent,
      Status problem,
      long problemSince) {
    return new Notice(
        type,
        "web01",
        service,
        status,
        "output",
        time,
        since,
        3,
        3,
        null,
        null,
        number,
        firstSent,
        problem,
        problemSince);
  }

  @Test
  void nagios_serviceNotificationNumber_aReminderSaysWhichAndWhenTheFirstWent() {
    Notice reminder =
        notice(
            NoticeType.PROBLEM,
            "Load",
            Status.CRITICAL,
            at("2026-11-27T06:10:00Z"),
            at("2026-11-27T04:10:00Z"),
            2,
            at("2026-11-27T04:10:00Z"),
            null,
            at("2026-11-27T04:08:00Z"));
    String body = Messages.compose("web01", List.of(reminder), null, UTC).body();
    assertThat(body).contains("Notification: 2nd, first sent 2026-11-27 04:10:00 UTC\n");
    assertThat(Messages.ordinal(1)).isEqualTo("1st");
    assertThat(Messages.ordinal(3)).isEqualTo("3rd");
    assertThat(Messages.ordinal(12)).isEqualTo("12th");
    assertThat(Messages.ordinal(22)).isEqualTo("22nd");
  }

  @Test
  void nagios_recovery_saysHowLongTheProblemLastedNotZeroSeconds() {
    Notice recovery =
        notice(
            NoticeType.RECOVERY,
            "Load",
            Status.OK,
            at("2026-11-27T04:22:00Z"),
            at("2026-11-27T04:22:00Z"),
            2,
            at("2026-11-27T03:12:00Z"),
            Status.CRITICAL,
            at("2026-11-27T03:10:00Z"));
    String body = Messages.compose("web01", List.of(recovery), null, UTC).body();
    assertThat(body)
        .contains("Was: CRITICAL for 1h 12m, since 2026-11-27 03:10:00 UTC\n")
        .doesNotContain("(0s)")
        .doesNotContain("Recovered:");
  }

  @Test
  void nagios_hostUp_saysHowLongItWasDownAndALateRecoverySaysWhenItHappened() {
    Notice up =
        notice(
            NoticeType.RECOVERY,
            "Host Alive",
            Status.OK,
            at("2026-11-27T05:00:00Z"),
            at("2026-11-27T04:30:00Z"),
            2,
            at("2026-11-27T04:00:00Z"),
            Status.CRITICAL,
            at("2026-11-27T04:00:00Z"));
    Message m = Messages.compose("web01", List.of(up), null, UTC);
    assertThat(m.subject()).isEqualTo("[custos] RECOVERY web01 is UP");
    assertThat(m.body())
        .contains("Was: DOWN for 30m, since 2026-11-27 04:00:00 UTC\n")
        .contains("Recovered: 2026-11-27 04:30:00 UTC (30m ago)\n");
  }

  @Test
  void nagios_acknowledgement_saysSinceWhenTheProblemExists() {
    Notice ack =
        new Notice(
            NoticeType.ACKNOWLEDGEMENT,
            "web01",
            "Load",
            Status.CRITICAL,
            "output",
            at("2026-11-27T04:30:00Z"),
            at("2026-11-27T04:00:00Z"),
            1,
            3,
            "alice",
            "on it");
    assertThat(Messages.compose("web01", List.of(ack), null, UTC).body())
        .contains("Problem since: 2026-11-27 04:00:00 UTC (30m)\n")
        .contains("Acknowledged by: alice\n");
  }

  @Test
  void aGroupedSubjectLeadsWithTheWorstNewsAndNamesHostAndCounts() {
    long t = at("2026-11-27T04:00:00Z");
    Notice recovered =
        notice(NoticeType.RECOVERY, "Load", Status.OK, t, t, 2, t, Status.CRITICAL, t);
    Notice critical = notice(NoticeType.PROBLEM, "Disk", Status.CRITICAL, t, t, 1, t, null, t);
    assertThat(Messages.compose("web01", List.of(recovered, critical), null, UTC).subject())
        .isEqualTo("[custos] PROBLEM/RECOVERY web01: 1 CRITICAL, 1 recovered");
    Notice warning = notice(NoticeType.PROBLEM, "Mem", Status.WARNING, t, t, 1, t, null, t);
    Notice down = notice(NoticeType.PROBLEM, "Host Alive", Status.CRITICAL, t, t, 1, t, null, t);
    assertThat(
            Messages.compose("web01", List.of(warning, critical, down, critical), null, UTC)
                .subject())
        .as("few problems are named, worst first; Disk's repeat within the batch counts once")
        .isEqualTo("[custos] PROBLEM web01: DOWN, Disk CRITICAL, Mem WARNING");
    Notice swap = notice(NoticeType.PROBLEM, "Swap", Status.CRITICAL, t, t, 1, t, null, t);
    assertThat(
            Messages.compose("web01", List.of(warning, critical, down, swap), null, UTC).subject())
        .isEqualTo("[custos] PROBLEM web01: DOWN, 2 CRITICAL, 1 WARNING");
  }

  @Test
  void issue23_aLargeBatchStartsWithAnOverviewAndListsWorstFirst() {
    long t = at("2026-11-27T04:00:00Z");
    List<Notice> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Status s = i % 5 == 0 ? Status.CRITICAL : Status.WARNING;
      batch.add(notice(NoticeType.PROBLEM, "Svc " + i, s, t, t, 1, t, null, t));
    }
    String body = Messages.compose("web01", batch, null, UTC).body();
    assertThat(body)
        .startsWith("***** Custos: 500 notices for web01 *****\n\n")
        .contains("   100  PROBLEM CRITICAL\n", "   400  PROBLEM WARNING\n");
    assertThat(body)
        .as("the worst 20 (CRITICAL) are detailed, no WARNING")
        .contains("Service: Svc 0\n", "Service: Svc 95\n")
        .doesNotContain("Service: Svc 1\n");
    assertThat(body).contains("480 more notices");
    assertThat(body.length()).as("was 165 KB without a summary").isLessThan(60_000);
    System.out.println("issue 23: a 500-notice mail body is " + body.length() + " characters");
  }
}
