package io.custos.collector.alert;

import static io.custos.common.wire.Status.CRITICAL;
import static io.custos.common.wire.Status.OK;
import static io.custos.common.wire.Status.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule of {@link StateMachine}, driven by explicit times (no clock, no sleeping). */
class StateMachineTest {
  private static final long MIN = 60_000;
  private static final long HOUR = 60 * MIN;
  private static final StateMachine.Context CTX =
      new StateMachine.Context(3, 2 * HOUR, 20, 5, null, null);

  /** Feeds results one minute apart and collects every notice. */
  private static final class Run {
    AlertState state;
    long now = 1_800_000_000_000L;
    StateMachine.Context ctx = CTX;
    final List<Notice> notices = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Run feed(Status... statuses) {
      for (Status s : statuses) {
        now += MIN;
        take(StateMachine.result(state, "web01", "Filesystem /", s, "DISK " + s, now, ctx));
      }
      return this;
    }

    Run tick(long after) {
      now += after;
      take(StateMachine.tick(state, "web01", "Filesystem /", now, ctx));
      return this;
    }

    Run ack(boolean sticky) {
      take(
          StateMachine.acknowledge(
              state, "web01", "Filesystem /", new Ack(7, "alice", "on it", sticky, now), now, ctx));
      return this;
    }

    private void take(StateMachine.Step step) {
      state = step.state();
      notices.addAll(step.notices());
      notes.addAll(step.notes());
    }

    List<String> types() {
      return notices.stream().map(n -> n.type() + " " + n.status()).toList();
    }
  }

  @Test
  void aProblemIsSoftUntilTheLastAttemptThenHardAndNotifiedOnce() {
    Run r = new Run().feed(CRITICAL, CRITICAL);
    assertThat(r.state.hard()).isFalse();
    assertThat(r.state.attempt()).isEqualTo(2);
    assertThat(r.notices).isEmpty();

    r.feed(CRITICAL);
    assertThat(r.state.hard()).isTrue();
    assertThat(r.state.attempt()).isEqualTo(3);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL");
    assertThat(r.notices.get(0).headline()).isEqualTo("PROBLEM web01/Filesystem / is CRITICAL");

    r.feed(CRITICAL, CRITICAL);
    assertThat(r.types()).as("no repeat before renotify").hasSize(1);
  }

  @Test
  void maxAttemptsOneIsHardAtOnce() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(1, 0, 20, 5, null, null);
    r.feed(WARNING);
    assertThat(r.state.hard()).isTrue();
    assertThat(r.types()).containsExactly("PROBLEM WARNING");
  }

  @Test
  void softRecoverySendsNothing() {
    Run r = new Run().feed(CRITICAL, CRITICAL, OK);
    assertThat(r.notices).isEmpty();
    assertThat(r.state.status()).isEqualTo(OK);
    assertThat(r.state.attempt()).isEqualTo(1);
    assertThat(r.notes).anyMatch(n -> n.startsWith("SOFT RECOVERY"));
  }

  @Test
  void softWarningThenCriticalCountsOnAndIsHardOnTheLastAttempt() {
    Run r = new Run().feed(WARNING, CRITICAL);
    assertThat(r.state.attempt()).isEqualTo(2);
    r.feed(CRITICAL);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL");
  }

  @Test
  void aHardProblemChangingToAnotherProblemIsHardAtOnce() {
    Run r = new Run().feed(WARNING, WARNING, WARNING, CRITICAL);
    assertThat(r.types()).containsExactly("PROBLEM WARNING", "PROBLEM CRITICAL");
    assertThat(r.state.attempt()).isEqualTo(3);
  }

  @Test
  void recoveryFromHardIsHardAtOnceAndNotifiedOnce() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL, OK, OK);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL", "RECOVERY OK");
    assertThat(r.state.notified()).isFalse();
  }

  @Test
  void aRecoveryIsSentOnlyIfItsProblemWasNotified() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(3, 2 * HOUR, 20, 5, "#1 by bob", null);
    r.feed(CRITICAL, CRITICAL, CRITICAL);
    assertThat(r.notices).isEmpty();
    r.ctx = CTX;
    r.feed(OK);
    assertThat(r.notices).isEmpty();
    assertThat(r.notes).contains("no RECOVERY: its problem was never notified");
  }

  @Test
  void reNotificationEveryRenotifyIntervalUntilAcknowledged() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL);
    r.tick(HOUR);
    assertThat(r.notices).hasSize(1);
    r.tick(HOUR);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL", "PROBLEM CRITICAL");
    r.ack(false);
    assertThat(r.types()).last().isEqualTo("ACKNOWLEDGEMENT CRITICAL");
    r.tick(3 * HOUR).tick(3 * HOUR);
    assertThat(r.notices).as("no reminder while acknowledged").hasSize(3);
  }

  @Test
  void renotifyZeroNeverRepeats() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(3, 0, 20, 5, null, null);
    r.feed(CRITICAL, CRITICAL, CRITICAL).tick(10 * HOUR);
    assertThat(r.notices).hasSize(1);
  }

  @Test
  void anAcknowledgementNamesAuthorAndComment() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL).ack(true);
    Notice n = r.notices.get(1);
    assertThat(n.type()).isEqualTo(NoticeType.ACKNOWLEDGEMENT);
    assertThat(n.author()).isEqualTo("alice");
    assertThat(n.comment()).isEqualTo("on it");
  }

  @Test
  void onlyAProblemCanBeAcknowledged() {
    Run r = new Run().feed(OK);
    assertThatThrownBy(() -> r.ack(true)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stickyAckThenWorseStateStaysAcknowledgedAndSilent() {
    Run r = new Run().feed(WARNING, WARNING, WARNING).ack(true).feed(CRITICAL, CRITICAL);
    assertThat(r.types())
        .containsExactly("PROBLEM WARNING", "ACKNOWLEDGEMENT WARNING")
        .doesNotContain("PROBLEM CRITICAL");
    assertThat(r.state.ack()).isNotNull();
    assertThat(r.notes).contains("PROBLEM suppressed: acknowledged by alice");
  }

  @Test
  void nonStickyAckEndsOnAStateChangeAndTheNewStateIsNotified() {
    Run r = new Run().feed(WARNING, WARNING, WARNING).ack(false).feed(CRITICAL);
    assertThat(r.types())
        .containsExactly("PROBLEM WARNING", "ACKNOWLEDGEMENT WARNING", "PROBLEM CRITICAL");
    assertThat(r.state.ack()).isNull();
  }

  @Test
  void anyAckEndsOnRecoveryWhichIsStillNotified() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL).ack(true).feed(OK);
    assertThat(r.types()).last().isEqualTo("RECOVERY OK");
    assertThat(r.state.ack()).isNull();
    r.feed(CRITICAL, CRITICAL, CRITICAL);
    assertThat(r.types())
        .last()
        .as("a new outage is not acknowledged")
        .isEqualTo("PROBLEM CRITICAL");
  }

  @Test
  void inDowntimeNothingIsSentAndTheHistorySaysWhy() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(3, 2 * HOUR, 20, 5, "#4 by bob: kernel", null);
    r.feed(CRITICAL, CRITICAL, CRITICAL).tick(3 * HOUR);
    assertThat(r.notices).isEmpty();
    assertThat(r.notes).contains("PROBLEM suppressed: in downtime #4 by bob: kernel");
  }

  @Test
  void downtimeEndingWhileStillCriticalNotifiesThen() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(3, 2 * HOUR, 20, 5, "#4", null);
    r.feed(CRITICAL, CRITICAL, CRITICAL).tick(MIN);
    assertThat(r.notices).isEmpty();
    r.ctx = CTX;
    r.tick(1000);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL");
    r.tick(1000);
    assertThat(r.notices).as("once").hasSize(1);
  }

  @Test
  void hostDownSuppressesItsServices() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(3, 2 * HOUR, 20, 5, null, "host is DOWN");
    r.feed(CRITICAL, CRITICAL, CRITICAL).tick(3 * HOUR);
    assertThat(r.notices).isEmpty();
    assertThat(r.notes).contains("PROBLEM suppressed: host is DOWN");
  }

  @Test
  void flappingSendsOneStartAndOneStopAndNothingInBetween() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL");
    for (int i = 0; i < 6; i++) {
      r.feed(OK, CRITICAL);
    }
    assertThat(r.types()).contains("FLAPPINGSTART CRITICAL");
    long starts = r.notices.stream().filter(n -> n.type() == NoticeType.FLAPPINGSTART).count();
    assertThat(starts).isEqualTo(1);
    int atStart = r.types().indexOf("FLAPPINGSTART CRITICAL");
    // Stable again: flapping decays below 5 % once the transitions age out.
    for (int i = 0; i < 25; i++) {
      r.feed(CRITICAL);
    }
    assertThat(r.state.flapping()).isFalse();
    List<String> after = r.types().subList(atStart + 1, r.types().size());
    assertThat(after).containsExactly("FLAPPINGSTOP CRITICAL");
  }

  @Test
  void flappingEndingInOkAfterProblemsNeverToldSendsStopAndNoRecovery() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(1, 2 * HOUR, 20, 5, null, null);
    for (int i = 0; i < 6; i++) {
      r.feed(CRITICAL, OK);
    }
    r.feed(CRITICAL);
    for (int i = 0; i < 25; i++) {
      r.feed(OK);
    }
    List<String> types = r.types();
    List<String> sinceStart = types.subList(types.indexOf("FLAPPINGSTART CRITICAL"), types.size());
    assertThat(sinceStart).containsExactly("FLAPPINGSTART CRITICAL", "FLAPPINGSTOP OK");
    assertThat(r.state.notified()).isFalse();
    r.tick(5 * HOUR);
    assertThat(r.types()).isEqualTo(types);
  }

  @Test
  void icinga2_7427_aRecoveryHeldBackByFlappingGoesOutWhenFlappingEnds() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(1, 2 * HOUR, 20, 5, null, null);
    r.feed(OK);
    // Alternate until flapping starts on a recovery: the PROBLEM before it was told.
    for (int i = 0; i < 20 && !r.state.flapping(); i++) {
      r.feed(r.state.status() == OK ? CRITICAL : OK);
    }
    assertThat(r.state.flapping()).isTrue();
    assertThat(r.state.status()).isEqualTo(OK);
    assertThat(r.notes)
        .last()
        .isEqualTo("RECOVERY held back: it goes out when nothing holds it back any more");
    assertThat(r.state.notified()).as("its PROBLEM was told").isTrue();
    for (int i = 0; i < 25; i++) {
      r.feed(OK);
    }
    assertThat(r.state.flapping()).isFalse();
    assertThat(r.types()).last().isEqualTo("FLAPPINGSTOP OK");
    r.tick(1000);
    assertThat(r.types()).last().isEqualTo("RECOVERY OK");
    assertThat(r.notes).last().isEqualTo("RECOVERY notified now: no longer suppressed");
    int sent = r.types().size();
    r.tick(5 * HOUR);
    assertThat(r.types()).as("once").hasSize(sent);
  }

  @Test
  void flapPercentIsNagiosWeighted() {
    assertThat(FlapDetector.percent("OOOOOOOOOOOOOOOOOOOOO")).isZero();
    // One transition, the newest: weight 1.25 over 20 transitions.
    assertThat(FlapDetector.percent("OOOOOOOOOOOOOOOOOOOOC")).isCloseTo(6.25, within());
    // One transition, the oldest: weight 0.75.
    assertThat(FlapDetector.percent("OCCCCCCCCCCCCCCCCCCCC")).isCloseTo(3.75, within());
    // Every result differs: 20 transitions averaging 1.0.
    assertThat(FlapDetector.percent("OCOCOCOCOCOCOCOCOCOCO")).isCloseTo(100, within());
    assertThat(FlapDetector.append("OCOCOCOCOCOCOCOCOCOCO", WARNING)).hasSize(21).endsWith("OW");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  // ---- Issue 16: sequences from Nagios, Icinga 2 and Alertmanager, by kind ----

  private static StateMachine.Context ctx(int max, String downtime, boolean hostDown) {
    return new StateMachine.Context(
        max, 2 * HOUR, 20, 5, downtime, hostDown ? "host is DOWN" : null);
  }

  @Test
  void icinga_core_643_nonStickyAckSurvivesSoftToHardOfTheSameStatus() {
    Run r = new Run();
    r.ctx = ctx(2, null, false);
    r.feed(OK, CRITICAL).ack(false).feed(CRITICAL);
    assertThat(r.state.hard()).isTrue();
    assertThat(r.types()).containsExactly("ACKNOWLEDGEMENT CRITICAL");
    assertThat(r.state.ack()).as("soft -> hard of the same status is no change").isNotNull();
    assertThat(r.notes).contains("PROBLEM suppressed: acknowledged by alice");
    r.tick(3 * HOUR);
    assertThat(r.types()).as("no reminder while acknowledged").hasSize(1);
  }

  @Test
  void icinga_core_643_nonStickyAckOnASoftWarningLastsThroughItsAttempts() {
    // The icinga-core #643 test case: OK -> WARNING 1/4 -> ack -> WARNING 2/4: the ack is left.
    Run r = new Run();
    r.ctx = ctx(4, null, false);
    r.feed(WARNING).ack(false).feed(WARNING, WARNING, WARNING);
    assertThat(r.state.ack()).isNotNull();
    assertThat(r.types()).containsExactly("ACKNOWLEDGEMENT WARNING");
  }

  @Test
  void nagios_checks_c_nonStickyAckEndsWhenTheStatusChangesEvenWhileSoft() {
    Run r = new Run();
    r.ctx = ctx(3, null, false);
    r.feed(WARNING).ack(false).feed(CRITICAL);
    assertThat(r.state.ack()).isNull();
    assertThat(r.notes)
        .contains("acknowledgement by alice ended: WARNING changed to CRITICAL (not sticky)");
    r.feed(CRITICAL);
    assertThat(r.types()).containsExactly("ACKNOWLEDGEMENT WARNING", "PROBLEM CRITICAL");
  }

  @Test
  void nagios_checks_c_stickyAckOnASoftProblemLastsUntilRecovery() {
    Run r = new Run();
    r.ctx = ctx(2, null, false);
    r.feed(WARNING).ack(true).feed(WARNING, CRITICAL, CRITICAL);
    assertThat(r.types()).containsExactly("ACKNOWLEDGEMENT WARNING");
    r.feed(OK);
    assertThat(r.state.ack()).isNull();
    assertThat(r.types()).as("its problem was never notified").hasSize(1);
  }

  @Test
  void icinga2_4427_aNotifiedCriticalRecoveringInsideADowntimeGetsItsRecoveryAtTheEnd() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL);
    long problemStart = r.now - 2 * MIN;
    r.ctx = ctx(3, "#4 by bob: deploy", false);
    r.feed(CRITICAL, OK).tick(HOUR);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL");
    assertThat(r.notes).contains("RECOVERY suppressed: in downtime #4 by bob: deploy");
    long recovered = r.now - HOUR;
    r.ctx = CTX;
    r.tick(1000);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL", "RECOVERY OK");
    Notice recovery = r.notices.get(1);
    assertThat(recovery.since()).as("when it recovered").isEqualTo(recovered);
    assertThat(recovery.problemSince()).isEqualTo(problemStart);
    assertThat(recovery.problemStatus()).isEqualTo(CRITICAL);
    assertThat(recovery.number()).isEqualTo(2);
    r.tick(1000).tick(3 * HOUR);
    assertThat(r.notices).as("once").hasSize(2);
  }

  @Test
  void icinga2_9054_aNotifiedWarningTurningCriticalInsideADowntimeIsNotifiedAtTheEnd() {
    Run r = new Run().feed(WARNING, WARNING, WARNING);
    r.ctx = ctx(3, "#5", false);
    r.feed(CRITICAL).tick(MIN);
    r.ctx = CTX;
    r.tick(1000);
    assertThat(r.types()).containsExactly("PROBLEM WARNING", "PROBLEM CRITICAL");
    r.feed(OK);
    assertThat(r.types()).last().isEqualTo("RECOVERY OK");
  }

  @Test
  void icinga2_9054_aNotifiedProblemThatChangesAndRecoversInsideADowntimeGetsOneRecovery() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL);
    r.ctx = ctx(3, "#5", false);
    r.feed(WARNING, CRITICAL, OK).tick(MIN);
    r.ctx = CTX;
    r.tick(1000);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL", "RECOVERY OK");
  }

  @Test
  void icinga2_5318_aProblemThatBeganAndRecoveredInsideADowntimeSendsNothing() {
    Run r = new Run();
    r.ctx = ctx(3, "#6", false);
    r.feed(CRITICAL, CRITICAL, CRITICAL, OK).tick(MIN);
    r.ctx = CTX;
    r.tick(1000).tick(3 * HOUR);
    assertThat(r.notices).isEmpty();
  }

  @Test
  void aNotifiedProblemRecoveringWhileItsHostIsDownGetsItsRecoveryWhenTheHostIsUp() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL);
    r.ctx = ctx(3, null, true);
    r.feed(OK).tick(MIN);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL");
    r.ctx = CTX;
    r.tick(1000);
    assertThat(r.types()).containsExactly("PROBLEM CRITICAL", "RECOVERY OK");
  }

  @Test
  void icinga2_7270_flappingThatStartsInsideADowntimeIsAnnouncedWhenItEnds() {
    Run r = new Run();
    r.ctx = ctx(1, "#7", false);
    for (int i = 0; i < 6; i++) {
      r.feed(CRITICAL, OK);
    }
    assertThat(r.state.flapping()).isTrue();
    assertThat(r.notices).isEmpty();
    r.ctx = ctx(1, null, false);
    r.tick(1000);
    assertThat(r.types()).containsExactly("FLAPPINGSTART OK");
    for (int i = 0; i < 25; i++) {
      r.feed(OK);
    }
    assertThat(r.types()).containsExactly("FLAPPINGSTART OK", "FLAPPINGSTOP OK");
  }

  @Test
  void icinga2_7270_flappingThatStartsAndStopsInsideADowntimeSendsNoLoneFlappingStop() {
    Run r = new Run();
    r.ctx = ctx(1, "#7", false);
    for (int i = 0; i < 6; i++) {
      r.feed(CRITICAL, OK);
    }
    r.ctx = ctx(1, null, false);
    for (int i = 0; i < 25; i++) {
      r.feed(OK);
    }
    assertThat(r.state.flapping()).isFalse();
    r.tick(1000);
    assertThat(r.notices).as("no FLAPPINGSTOP without its FLAPPINGSTART").isEmpty();
    assertThat(r.notes).contains("no FLAPPINGSTOP: its FLAPPINGSTART was never sent");
  }

  @Test
  void flappingToldBeforeADowntimeThatStopsInsideItIsStoppedAtItsEnd() {
    Run r = new Run();
    r.ctx = ctx(1, null, false);
    for (int i = 0; i < 6; i++) {
      r.feed(CRITICAL, OK);
    }
    assertThat(r.types()).contains("FLAPPINGSTART CRITICAL");
    r.ctx = ctx(1, "#8", false);
    for (int i = 0; i < 25; i++) {
      r.feed(OK);
    }
    int before = r.notices.size();
    r.ctx = ctx(1, null, false);
    r.tick(1000);
    assertThat(r.types().subList(before, r.types().size())).containsExactly("FLAPPINGSTOP OK");
  }

  @Test
  void nagios_notificationNumber_problemsAndRemindersCountAndTheRecoveryCountsOn() {
    Run r = new Run().feed(CRITICAL, CRITICAL, CRITICAL);
    long first = r.now;
    r.tick(2 * HOUR).tick(2 * HOUR).feed(OK);
    assertThat(r.notices)
        .extracting(Notice::number)
        .as("PROBLEM, two reminders, RECOVERY")
        .containsExactly(1, 2, 3, 4);
    assertThat(r.notices).extracting(Notice::firstSent).containsOnly(first);
    r.feed(CRITICAL, CRITICAL, CRITICAL);
    assertThat(r.notices.get(4).number()).as("a new problem counts from 1").isEqualTo(1);
  }

  @Test
  void nagios_notificationNumber_anAcknowledgementIsNotCountedAndSaysSinceWhenTheProblemExists() {
    Run r = new Run().feed(OK, CRITICAL);
    long problemStart = r.now;
    r.feed(CRITICAL, CRITICAL).ack(true);
    Notice ack = r.notices.get(1);
    assertThat(ack.type()).isEqualTo(NoticeType.ACKNOWLEDGEMENT);
    assertThat(ack.number()).isZero();
    assertThat(ack.since()).isEqualTo(problemStart);
  }

  @Test
  void nagios_downtimeNotices_startEndAndCancelAreAnnouncedOnce() {
    Downtime d = new Downtime(9, "web01", null, null, 0, Long.MAX_VALUE, null, "bob", "kernel");
    AlertState s = AlertState.initial(0);
    StateMachine.Step start = StateMachine.downtime(s, "web01", "Host Alive", d, null, 1, true);
    assertThat(start.notices()).extracting(Notice::type).containsExactly(NoticeType.DOWNTIMESTART);
    assertThat(start.notices().get(0).headline())
        .isEqualTo("DOWNTIMESTART web01: #9 by bob: kernel");
    StateMachine.Step again =
        StateMachine.downtime(start.state(), "web01", "Host Alive", d, d, 2, true);
    assertThat(again.notices()).isEmpty();
    StateMachine.Step end =
        StateMachine.downtime(start.state(), "web01", "Host Alive", null, d, 3, true);
    assertThat(end.notices()).extracting(Notice::type).containsExactly(NoticeType.DOWNTIMEEND);
    StateMachine.Step cancelled =
        StateMachine.downtimeCancelled(start.state(), "web01", "Host Alive", d, 3, true);
    assertThat(cancelled.notices())
        .extracting(Notice::type)
        .containsExactly(NoticeType.DOWNTIMECANCELLED);
    assertThat(cancelled.state().downtimeId()).isZero();
    StateMachine.Step quiet = StateMachine.downtime(s, "web01", "Host Alive", d, null, 1, false);
    assertThat(quiet.notices()).as("downtime_notices: false").isEmpty();
    assertThat(quiet.notes()).containsExactly("downtime #9 by bob: kernel started");
  }
}
