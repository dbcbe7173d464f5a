package io.custos.agent.check;

import io.custos.common.units.Durations;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Conditions held over time, per service: {@code for: 15m} (a status must hold continuously that
 * long) and {@code times: N, within: M} (seen in N of the last M runs). One instance serves one
 * configured check and all the services it yields.
 *
 * <p>Statuses are ranked OK &lt; UNKNOWN &lt; WARNING &lt; CRITICAL ({@link Status#worse}). The
 * reported status is the worst status {@code s} for which the raw status has been at least as bad
 * as {@code s} for the whole {@code for} duration, and at least as bad as {@code s} in {@code
 * times} of the last {@code within} runs. So a CPU check flipping between WARNING and CRITICAL for
 * 15 minutes is at least WARNING, and a recovery is reported at once (the condition no longer
 * holds). UNKNOWN (the check itself failing) is reported at once, never held back as OK. When the
 * reported status differs from the raw one, the output's status word becomes the reported one and a
 * note says what is not yet held: {@code CPU OK - 100% busy, CRITICAL only after 15m held (held
 * 3m)}, or {@code ..., CRITICAL only when seen in 2 of 3 runs (seen in 1)}; so a table row or
 * {@code check --all} never reads CRITICAL for a service that is OK.
 *
 * <p>Not thread-safe; the runner calls it from one thread. Time comes from the results' own time
 * stamps (the injected clock), so tests advance a clock instead of sleeping.
 */
public final class Hold {
  private static final Status[] PROBLEMS = {Status.UNKNOWN, Status.WARNING, Status.CRITICAL};

  private final Duration holdFor;
  private final int times;
  private final int within;
  private Map<String, State> states = new HashMap<>();

  private static final class State {
    // since[i]: start of the current streak of runs at least as bad as PROBLEMS[i], or -1
    final long[] since = {-1, -1, -1};
    final Deque<Status> recent = new ArrayDeque<>();
  }

  public Hold(Schedule schedule) {
    this.holdFor = schedule.holdFor() == null ? Duration.ZERO : schedule.holdFor();
    this.times = schedule.times() == null ? 1 : schedule.times();
    this.within = schedule.within() == null ? 1 : schedule.within();
  }

  /**
   * The results to report for one run's raw results. Services absent from this run forget their
   * history.
   */
  List<CheckResult> apply(List<CheckResult> raw) {
    Map<String, State> next = new HashMap<>();
    List<CheckResult> out = new ArrayList<>(raw.size());
    for (CheckResult r : raw) {
      State s = states.getOrDefault(r.service(), new State());
      next.put(r.service(), s);
      out.add(apply(s, r));
    }
    states = next;
    return out;
  }

  private CheckResult apply(State s, CheckResult r) {
    long now = r.time();
    s.recent.addLast(r.status());
    while (s.recent.size() > within) {
      s.recent.removeFirst();
    }
    Status reported = Status.OK;
    String note = null;
    for (int i = 0; i < PROBLEMS.length; i++) {
      Status p = PROBLEMS[i];
      boolean atLeast = atLeast(r.status(), p);
      if (!atLeast) {
        s.since[i] = -1;
        continue;
      }
      if (s.since[i] < 0) {
        s.since[i] = now;
      }
      Duration held = Duration.ofMillis(now - s.since[i]);
      long seen = s.recent.stream().filter(x -> atLeast(x, p)).count();
      boolean longEnough = held.compareTo(holdFor) >= 0;
      boolean oftenEnough = seen >= times;
      if (longEnough && oftenEnough) {
        reported = p;
      } else if (p == r.status()) {
        note =
            !longEnough
                ? p + " only after " + format(holdFor) + " held (held " + format(held) + ")"
                : p
                    + " only when seen in "
                    + times
                    + " of "
                    + within
                    + " runs (seen in "
                    + seen
                    + ")";
      }
    }
    if (reported == r.status() || r.status() == Status.UNKNOWN) {
      // A check that cannot judge says so at once: holding it would show OK for a broken check.
      return r;
    }
    String output = relabel(r.output(), r.status(), reported);
    if (note != null) {
      output = output + ", " + note;
    }
    return new CheckResult(
        r.service(), r.check(), reported, output, r.longOutput(), r.time(), r.metrics());
  }

  /**
   * The raw output with its status word ({@code CPU CRITICAL - ...}, the Nagios plugin form) turned
   * into the reported one, so a row never shows a status it does not have. An output without that
   * form says the reported status in front: {@code OK - 100% busy}.
   */
  static String relabel(String output, Status raw, Status reported) {
    String word = raw.name() + " - ";
    int at = output.indexOf(word);
    if (at == 0 || at > 0 && output.charAt(at - 1) == ' ') {
      return output.substring(0, at)
          + reported.name()
          + " - "
          + output.substring(at + word.length());
    }
    return reported.name() + " - " + output;
  }

  /** True when {@code status} is as bad as {@code level} or worse. */
  private static boolean atLeast(Status status, Status level) {
    return status.worse(level) == status;
  }

  /** {@code 3m}, {@code 15m}, {@code 2m 50s}, {@code 1h 30m}: see {@link Durations#format}. */
  static String format(Duration d) {
    return Durations.format(d);
  }
}
