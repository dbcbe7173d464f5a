package io.custos.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

public class CheckRunnerTest {
  private static final long NOW = 1_795_783_507_801L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  /** A check built from a lambda. */
  public record FakeCheck(String kind, String name, Body body) implements Check {
    public interface Body {
      List<CheckResult> run(CheckContext c) throws Exception;
    }

    @Override
    public List<CheckResult> run(CheckContext context) throws Exception {
      return body.run(context);
    }
  }

  static Check ok(String service) {
    return new FakeCheck(
        "fake",
        service,
        c -> List.of(new CheckResult(service, "fake", Status.OK, "FINE", c.now(), List.of())));
  }

  private static CheckRunner runner(Duration timeout, Check... checks) {
    return new CheckRunner(
        java.util.Arrays.stream(checks).map(c -> new CheckRunner.Task(c, timeout)).toList(),
        Path.of("/"),
        CLOCK);
  }

  @Test
  void aCheckThatThrowsBecomesUnknownWithTheReasonAndTheOthersStillRun() {
    Check broken =
        new FakeCheck(
            "raid",
            "RAID",
            c -> {
              throw new IllegalStateException("mdstat says\nsomething odd");
            });
    try (CheckRunner r = runner(Duration.ofSeconds(10), ok("A"), broken, ok("B"))) {
      List<CheckResult> results = r.runAll();

      assertThat(results).extracting(CheckResult::service).containsExactly("A", "RAID", "B");
      CheckResult failed = results.get(1);
      assertThat(failed.status()).isEqualTo(Status.UNKNOWN);
      assertThat(failed.check()).isEqualTo("raid");
      assertThat(failed.output()).isEqualTo("RAID UNKNOWN - mdstat says something odd");
      assertThat(failed.time()).isEqualTo(NOW);
    }
  }

  @Test
  void twoResultsWithOneNameFromOneCheckBecomeOneUnknownNamingThem() {
    Check twoDisksOneName =
        new FakeCheck(
            "smart",
            "SMART",
            c ->
                List.of(
                    new CheckResult("SMART /dev/sda", "smart", Status.OK, "a", c.now(), List.of()),
                    new CheckResult("SMART /dev/sdb", "smart", Status.OK, "b", c.now(), List.of()),
                    new CheckResult(
                        "SMART /dev/sda", "smart", Status.WARNING, "c", c.now(), List.of())));
    try (CheckRunner r = runner(Duration.ofSeconds(10), twoDisksOneName, ok("SMART /dev/sda"))) {
      List<CheckResult> results = r.runAll();

      // the other check's result of that name is its own service on the collector: kept
      assertThat(results)
          .extracting(CheckResult::service)
          .containsExactly("SMART /dev/sda", "SMART /dev/sdb", "SMART /dev/sda");
      assertThat(results.get(0).status()).isEqualTo(Status.UNKNOWN);
      assertThat(results.get(0).output())
          .isEqualTo(
              "SMART UNKNOWN - 2 results named \"SMART /dev/sda\" (OK, WARNING): two things under"
                  + " one name, not judged until they are told apart");
    }
  }

  @Test
  void aMissingFileSaysSo() {
    Check missing =
        new FakeCheck(
            "load",
            "Load",
            c -> {
              throw new java.nio.file.NoSuchFileException("/proc/loadavg");
            });
    try (CheckRunner r = runner(Duration.ofSeconds(10), missing)) {
      assertThat(r.runAll().get(0).output())
          .isEqualTo("LOAD UNKNOWN - no such file: /proc/loadavg");
    }
  }

  @Test
  void aHungCheckTimesOutWithoutDelayingTheOthers() {
    CountDownLatch never = new CountDownLatch(1);
    Check hung =
        new FakeCheck(
            "nfs",
            "NFS",
            c -> {
              never.await();
              return List.of();
            });
    try (CheckRunner r = runner(Duration.ofMillis(200), ok("A"), hung, ok("B"))) {
      long start = System.nanoTime();
      List<CheckResult> results = r.runAll();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofSeconds(5));
      assertThat(results)
          .extracting(CheckResult::service, CheckResult::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("A", Status.OK),
              org.assertj.core.groups.Tuple.tuple("NFS", Status.UNKNOWN),
              org.assertj.core.groups.Tuple.tuple("B", Status.OK));
      assertThat(results.get(1).output()).isEqualTo("NFS UNKNOWN - timed out after 200ms");
    } finally {
      never.countDown();
    }
  }

  @Test
  void aCheckStuckInAnEarlierRunIsNotStartedAgain() {
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger starts =
        new java.util.concurrent.atomic.AtomicInteger();
    Check stuck =
        new FakeCheck(
            "nfs",
            "NFS",
            c -> {
              starts.incrementAndGet();
              // Ignores interrupts, as a process in D state does.
              while (true) {
                try {
                  release.await();
                  return List.of();
                } catch (InterruptedException e) {
                  // keep waiting
                }
              }
            });
    try (CheckRunner r = runner(Duration.ofMillis(100), stuck)) {
      r.runAll();
      List<CheckResult> second = r.runAll();

      assertThat(starts.get()).isEqualTo(1);
      assertThat(second.get(0).output())
          .isEqualTo("NFS UNKNOWN - still running from an earlier cycle");
    } finally {
      release.countDown();
    }
  }

  @Test
  void timeoutsUnderASecondAreShownInMilliseconds() {
    assertThat(CheckRunner.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(CheckRunner.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(CheckRunner.format(Duration.ofSeconds(90))).isEqualTo("1m 30s");
  }

  @Test
  void registryBuildsTheDefaultChecks() {
    assertThat(CheckRegistry.defaults())
        .extracting(CheckConfig::type)
        .containsExactly("filesystem", "load", "memory", "raid", "cpu");
    assertThat(CheckRegistry.createAll(CheckRegistry.defaults()))
        .extracting(Check::kind)
        .containsExactly("filesystem", "load", "memory", "raid", "cpu");
  }
}
