package io.custos.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

public class HoldTest {
  private static final long T0 = 1_795_783_507_000L;
  private static final long MIN = 60_000;

  private static CheckResult cpu(Status s, long time) {
    return new CheckResult("CPU", "cpu", s, "CPU " + s + " - 100% busy", time, List.of());
  }

  private static Schedule holdFor(String d) {
    return new Schedule(null, null, io.custos.common.units.Durations.parse(d), null, null);
  }

  @Test
  void criticalMustHoldForFifteenMinutesBeforeItIsReported() {
    Hold hold = new Hold(holdFor("15m"));

    CheckResult first = hold.apply(List.of(cpu(Status.CRITICAL, T0))).get(0);
    CheckResult after3 = hold.apply(List.of(cpu(Status.CRITICAL, T0 + 3 * MIN))).get(0);
    CheckResult after15 = hold.apply(List.of(cpu(Status.CRITICAL, T0 + 15 * MIN))).get(0);

    assertThat(first.status()).isEqualTo(Status.OK);
    assertThat(first.output())
        .isEqualTo("CPU OK - 100% busy, CRITICAL only after 15m held (held 0s)");
    assertThat(after3.status()).isEqualTo(Status.OK);
    assertThat(after3.output())
        .isEqualTo("CPU OK - 100% busy, CRITICAL only after 15m held (held 3m)");
    assertThat(after15.status()).isEqualTo(Status.CRITICAL);
    assertThat(after15.output()).isEqualTo("CPU CRITICAL - 100% busy");
  }

  @Test
  void aHeldNoteNeverShowsAStatusTheRowDoesNotHave() {
    Hold hold = new Hold(holdFor("15m"));
    hold.apply(List.of(cpu(Status.CRITICAL, T0)));
    CheckResult r = hold.apply(List.of(cpu(Status.CRITICAL, T0 + 170_000))).get(0);

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .isEqualTo("CPU OK - 100% busy, CRITICAL only after 15m held (held 2m 50s)")
        .doesNotContain("CPU CRITICAL");

    CheckResult bare =
        new Hold(holdFor("5m"))
            .apply(
                List.of(new CheckResult("CPU", "cpu", Status.CRITICAL, "load 9.1", T0, List.of())))
            .get(0);
    assertThat(bare.output()).isEqualTo("OK - load 9.1, CRITICAL only after 5m held (held 0s)");
  }

  @Test
  void aDipResetsTheStreakAndRecoveryIsImmediate() {
    Hold hold = new Hold(holdFor("15m"));
    hold.apply(List.of(cpu(Status.CRITICAL, T0)));
    hold.apply(List.of(cpu(Status.OK, T0 + 10 * MIN)));
    CheckResult again = hold.apply(List.of(cpu(Status.CRITICAL, T0 + 16 * MIN))).get(0);
    assertThat(again.status()).isEqualTo(Status.OK);

    CheckResult held = hold.apply(List.of(cpu(Status.CRITICAL, T0 + 31 * MIN))).get(0);
    CheckResult ok = hold.apply(List.of(cpu(Status.OK, T0 + 32 * MIN))).get(0);
    assertThat(held.status()).isEqualTo(Status.CRITICAL);
    assertThat(ok.status()).isEqualTo(Status.OK);
    assertThat(ok.output()).isEqualTo("CPU OK - 100% busy");
  }

  @Test
  void flappingBetweenWarningAndCriticalHoldsWarning() {
    Hold hold = new Hold(holdFor("10m"));
    hold.apply(List.of(cpu(Status.WARNING, T0)));
    hold.apply(List.of(cpu(Status.CRITICAL, T0 + 5 * MIN)));
    CheckResult r = hold.apply(List.of(cpu(Status.CRITICAL, T0 + 11 * MIN))).get(0);

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .isEqualTo("CPU WARNING - 100% busy, CRITICAL only after 10m held (held 6m)");
  }

  @Test
  void twoTimesWithinThreeCyclesLikeMonit() {
    Hold hold = new Hold(new Schedule(null, null, null, 2, 3));

    assertThat(hold.apply(List.of(cpu(Status.CRITICAL, T0))).get(0))
        .extracting(CheckResult::status, CheckResult::output)
        .containsExactly(
            Status.OK, "CPU OK - 100% busy, CRITICAL only when seen in 2 of 3 runs (seen in 1)");
    assertThat(hold.apply(List.of(cpu(Status.OK, T0 + MIN))).get(0).status()).isEqualTo(Status.OK);
    assertThat(hold.apply(List.of(cpu(Status.CRITICAL, T0 + 2 * MIN))).get(0).status())
        .isEqualTo(Status.CRITICAL);
    // The first CRITICAL has left the window of 3: 1 of 3 again.
    assertThat(hold.apply(List.of(cpu(Status.OK, T0 + 3 * MIN))).get(0).status())
        .isEqualTo(Status.OK);
    assertThat(hold.apply(List.of(cpu(Status.OK, T0 + 4 * MIN))).get(0).status())
        .isEqualTo(Status.OK);
    assertThat(hold.apply(List.of(cpu(Status.CRITICAL, T0 + 5 * MIN))).get(0).status())
        .isEqualTo(Status.OK);
  }

  @Test
  void eachServiceHasItsOwnHistory() {
    Hold hold = new Hold(new Schedule(null, null, null, 2, 2));
    CheckResult a = new CheckResult("Filesystem /", "filesystem", Status.WARNING, "x", T0, null);
    CheckResult b = new CheckResult("Filesystem /var", "filesystem", Status.OK, "y", T0, null);
    hold.apply(List.of(a, b));
    List<CheckResult> r =
        hold.apply(
            List.of(
                new CheckResult("Filesystem /", "filesystem", Status.WARNING, "x", T0 + MIN, null),
                new CheckResult(
                    "Filesystem /var", "filesystem", Status.WARNING, "y", T0 + MIN, null)));
    assertThat(r).extracting(CheckResult::status).containsExactly(Status.WARNING, Status.OK);
  }

  @Test
  void scheduleValidation() {
    assertThatThrownBy(() -> new Schedule(null, null, null, 2, null))
        .hasMessageContaining("times and within go together");
    assertThatThrownBy(() -> new Schedule(null, null, null, 4, 3))
        .hasMessageContaining("times: 4, within: 3");
    assertThatThrownBy(() -> new Schedule(Duration.ZERO, null, null, null, null))
        .hasMessageContaining("interval must be positive");
  }

  /** A clock the test moves by hand. */
  public static final class MutableClock extends Clock {
    public long millis;

    public MutableClock(long millis) {
      this.millis = millis;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void runnerRunsACheckOnlyEveryIntervalAndResendsItsLastResult() {
    MutableClock clock = new MutableClock(T0);
    Deque<Status> script = new ArrayDeque<>(List.of(Status.OK, Status.CRITICAL, Status.CRITICAL));
    int[] runs = {0};
    Check check =
        new CheckRunnerTest.FakeCheck(
            "cpu",
            "CPU",
            c -> {
              runs[0]++;
              return List.of(cpu(script.removeFirst(), c.now()));
            });
    Schedule schedule =
        new Schedule(Duration.ofMinutes(5), null, Duration.ofMinutes(5), null, null);
    try (CheckRunner r =
        new CheckRunner(
            List.of(new CheckRunner.Task(check, schedule, "Busy CPU")), Path.of("/"), clock)) {
      CheckResult first = r.runAll().get(0);
      clock.millis += MIN;
      CheckResult resent = r.runAll().get(0);
      clock.millis += 4 * MIN;
      CheckResult second = r.runAll().get(0);
      clock.millis += 5 * MIN;
      CheckResult third = r.runAll().get(0);

      assertThat(runs[0]).isEqualTo(3);
      assertThat(first.service()).isEqualTo("Busy CPU");
      assertThat(resent).isEqualTo(first);
      assertThat(second.status()).isEqualTo(Status.OK);
      assertThat(second.output()).endsWith("CRITICAL only after 5m held (held 0s)");
      assertThat(third.status()).isEqualTo(Status.CRITICAL);
    }
  }

  @Test
  void aLittleEarlyIsDue() {
    Schedule s = new Schedule(Duration.ofSeconds(60), null, null, null, null);
    assertThat(CheckRunner.isDue(s, T0, T0 + 59_500)).isTrue();
    assertThat(CheckRunner.isDue(s, T0, T0 + 30_000)).isFalse();
    assertThat(CheckRunner.isDue(s, -1, T0)).isTrue();
  }
}
