package io.custos.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Store failures: health from real outcomes, one log line per kind of failure with a count. */
class StoreHealthTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-27T12:00:00Z"));
  private final StoreHealth health = new StoreHealth(clock);

  private static StoreException full(long seq) {
    return new StoreException(
        "cannot store report web01 seq " + seq + " in /var/lib/custos/c.db",
        new SQLException("[SQLITE_FULL] database or disk is full (" + seq + " pages)"));
  }

  /** What the collector logs (slf4j-simple writes to System.err) while {@code work} runs. */
  private static String log(Runnable work) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void seventeenThousandFailuresOfOneKindAreOneLogLineAndOneRecoveryLineWithTheCount() {
    String failing =
        log(
            () -> {
              for (int i = 0; i < 17_000; i++) {
                health.failed("POST /api/v1/reports", full(i));
              }
              health.failed("alert tick", new StoreException("store /var/lib/c.db is closed"));
            });

    assertThat(failing.lines().filter(l -> l.contains("store failure in"))).hasSize(2);
    assertThat(failing).contains("SQLITE_FULL").contains("store /var/lib/c.db is closed");
    assertThat(health.snapshot().writable()).isFalse();
    assertThat(health.snapshot().failures()).isEqualTo(17_001);
    assertThat(health.snapshot().lastError())
        .isEqualTo("StoreException: store /var/lib/c.db is closed");

    clock.advance(Duration.ofSeconds(30));
    String recovered = log(health::writeSucceeded);

    assertThat(recovered.lines())
        .singleElement()
        .asString()
        .contains("store writes work again after 30s")
        .contains("17000 × SQLException: [SQLITE_FULL] database or disk is full (# pages)")
        .contains("1 × StoreException");
    assertThat(health.snapshot().writable()).isTrue();
    assertThat(log(health::writeSucceeded)).isEmpty();
  }

  @Test
  void aLongOutageIsSummedUpEveryTenMinutesNotPerFailure() {
    String out =
        log(
            () -> {
              for (int minute = 0; minute < 30; minute++) {
                for (int i = 0; i < 100; i++) {
                  health.failed("POST /api/v1/reports", full(i));
                }
                clock.advance(Duration.ofMinutes(1));
              }
            });

    assertThat(out.lines().filter(l -> l.contains("store failure in"))).hasSize(1);
    assertThat(out.lines().filter(l -> l.contains("store still failing since"))).hasSize(2);
  }

  @Test
  void anOldFailureWithNothingSinceIsForgotten() {
    log(() -> health.failed("history maintenance", full(1)));
    clock.advance(Duration.ofMillis(StoreHealth.FORGET_AFTER_MS + 1));

    assertThat(health.snapshot().writable()).isTrue();
  }
}
