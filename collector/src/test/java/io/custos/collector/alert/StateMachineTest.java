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
      new StateMachine.Context(3, 2 * HOUR, 20, 5, null, false);

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
    r.ctx = new StateMachine.Context(1, 0, 20, 5, null, false);
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
    r.ctx = new StateMachine.Context(3, 2 * HOUR, 20, 5, "#1 by bob", false);
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
    r.ctx = new StateMachine.Context(3, 0, 20, 5, null, false);
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
    r.ctx = new StateMachine.Context(3, 2 * HOUR, 20, 5, "#4 by bob: kernel", false);
    r.feed(CRITICAL, CRITICAL, CRITICAL).tick(3 * HOUR);
    assertThat(r.notices).isEmpty();
    assertThat(r.notes).contains("PROBLEM suppressed: in downtime #4 by bob: kernel");
  }

  @Test
  void downtimeEndingWhileStillCriticalNotifiesThen() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(3, 2 * HOUR, 20, 5, "#4", false);
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
    r.ctx = new StateMachine.Context(3, 2 * HOUR, 20, 5, null, true);
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
  void flappingEndingInOkSendsStopAndNoRecovery() {
    Run r = new Run();
    r.ctx = new StateMachine.Context(1, 2 * HOUR, 20, 5, null, false);
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
}
