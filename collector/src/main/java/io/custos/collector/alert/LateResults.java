package io.custos.collector.alert;

import io.custos.common.units.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Results that reach the collector well after they were observed — replayed from an agent's spool
 * after the agent could not deliver them, or after an outage of the collector — still run the state
 * machine when they arrive, but what is notified says when the problem started (the observation,
 * not the replay) and that the notice is late, and why.
 *
 * <p>A result is late when it arrives more than two report intervals, and at least {@value
 * #MIN_LATE_MS} ms, after its observation time (the node's clock, never later than arrival).
 */
final class LateResults {
  static final long MIN_LATE_MS = 60_000;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

  private LateResults() {}

  /** True when a result observed at {@code observed} and arriving at {@code now} is late. */
  static boolean isLate(long observed, long now, int intervalS) {
    return now - observed > Math.max(MIN_LATE_MS, 2_000L * intervalS);
  }

  /**
   * {@code step} decided at {@code now} for a result observed at {@code observed}; if that result
   * is late, its notices say so and a hard change it caused dates from the observation.
   *
   * @param hearingSince since when the collector has been hearing reports (its start or its store's
   *     recovery), to tell an outage of the collector from one of the agent's path to it
   */
  static StateMachine.Step mark(
      StateMachine.Step step,
      long observed,
      long now,
      int intervalS,
      long hearingSince,
      ZoneId zone) {
    long at = Math.min(observed, now);
    if (!isLate(at, now, intervalS) || step.state() == null) {
      return step;
    }
    String why =
        "observed at "
            + TIME.format(Instant.ofEpochMilli(at).atZone(zone))
            + ", received "
            + Durations.format(Duration.ofMillis(now - at))
            + " later: "
            + (at < hearingSince
                ? "the collector was not receiving reports until "
                    + TIME.format(Instant.ofEpochMilli(hearingSince).atZone(zone))
                    + " (stopped or its store failing); the agent replayed it from its spool"
                : "the agent could not deliver it earlier and replayed it from its spool");
    List<Notice> notices = new ArrayList<>();
    for (Notice n : step.notices()) {
      notices.add(n.asLate(at, why));
    }
    AlertState s = step.state();
    AlertState.Edit e = s.edit();
    if (e.lastHardChange == now) {
      e.lastHardChange = at;
    }
    if (e.problemStart == now) {
      e.problemStart = at;
    }
    AlertState dated = e.build();
    return new StateMachine.Step(dated, notices, step.notes());
  }
}
