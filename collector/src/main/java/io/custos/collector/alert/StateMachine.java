package io.custos.collector.alert;

import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The Nagios state logic for one (host, service), as pure functions of the previous {@link
 * AlertState}, the input and a {@link Context}; time comes in as arguments, never from a clock.
 *
 * <ul>
 *   <li>Soft/hard: a problem is soft for attempts 1 .. max−1 and hard on attempt max (at once when
 *       max is 1). A hard problem that changes to another problem state is a new hard state at
 *       once; a recovery from a hard problem is hard at once. A soft recovery notifies nothing.
 *   <li>PROBLEM on every hard state change to a problem, unless suppressed; RECOVERY only if a
 *       PROBLEM of that outage was notified.
 *   <li>Suppressed, with the reason in the event history: host DOWN (for its services), scheduled
 *       downtime, flapping, acknowledgement (PROBLEM only; a RECOVERY still goes out).
 *   <li>A hard problem still open and not yet notified (its PROBLEM was suppressed by a downtime,
 *       flapping or the host being down that has since ended) is notified on the next {@link
 *       #tick}; a notified one is notified again every {@code renotify} until acknowledged.
 *   <li>Flapping: see {@link FlapDetector}; FLAPPINGSTART once at ≥ start %, FLAPPINGSTOP once at ≤
 *       stop %, nothing else in between. A flap ending in OK closes the outage (the FLAPPINGSTOP
 *       says OK), so no RECOVERY follows.
 * </ul>
 */
public final class StateMachine {
  private StateMachine() {}

  /**
   * What surrounds one decision.
   *
   * @param maxAttempts attempts before a problem is hard, at least 1
   * @param renotifyMs re-notification interval, 0 for never
   * @param flapStart flapping starts at or above this percent; above 100 disables detection
   * @param flapStop flapping stops at or below this percent
   * @param downtime the active downtime as described in the history, or null
   * @param hostDown true when the service's host is DOWN (never for the host itself)
   */
  public record Context(
      int maxAttempts,
      long renotifyMs,
      double flapStart,
      double flapStop,
      String downtime,
      boolean hostDown) {}

  /**
   * A decision: the next state, the notices to send and the lines for the event history.
   *
   * @param state the next state
   * @param notices notifications to send, possibly none
   * @param notes event history lines (why something was or was not sent), possibly none
   */
  public record Step(AlertState state, List<Notice> notices, List<String> notes) {
    public Step {
      notices = List.copyOf(notices);
      notes = List.copyOf(notes);
    }
  }

  /** Applies one check result of {@code host}/{@code service} to {@code prev} (null if new). */
  public static Step result(
      AlertState prev,
      String host,
      String service,
      Status status,
      String output,
      long time,
      Context ctx) {
    AlertState s = prev == null ? AlertState.initial(time) : prev;
    List<Notice> notices = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int max = ctx.maxAttempts();

    boolean wasHardProblem = s.hardProblem();
    int attempt;
    boolean hard;
    if (status == Status.OK) {
      attempt = 1;
      hard = true;
      if (s.status().isProblem() && !wasHardProblem) {
        notes.add("SOFT RECOVERY: OK after " + s.status() + " attempt " + s.attempt() + "/" + max);
      }
    } else if (!s.status().isProblem()) {
      attempt = 1;
      hard = max <= 1;
    } else if (!wasHardProblem) {
      attempt = Math.min(s.attempt() + 1, max);
      hard = attempt >= max;
    } else {
      attempt = max;
      hard = true;
    }
    boolean hardChange =
        hard && (status.isProblem() ? !wasHardProblem || s.hardStatus() != status : wasHardProblem);
    if (status.isProblem() && !hard && (s.status() != status || s.attempt() != attempt)) {
      notes.add("SOFT " + status + " attempt " + attempt + "/" + max);
    }

    Ack ack = s.ack();
    boolean notified = s.notified();
    long lastNotified = s.lastNotified();
    long lastHardChange = hardChange ? time : s.lastHardChange();
    Status hardStatus = hard ? status : s.hardStatus();
    if (hardChange && status == Status.OK) {
      if (ack != null) {
        notes.add("acknowledgement by " + ack.author() + " ended: recovered");
      }
      ack = null;
    } else if (hardChange && ack != null && !ack.sticky()) {
      notes.add("acknowledgement by " + ack.author() + " ended: state changed (not sticky)");
      ack = null;
    }

    String history = FlapDetector.append(s.history(), status);
    double percent = FlapDetector.percent(history);
    boolean flapping = s.flapping();
    Notice.Builder base =
        new Notice.Builder(host, service, status, output, time, lastHardChange, attempt, max);
    if (!flapping && percent >= ctx.flapStart()) {
      flapping = true;
      send(
          notices,
          notes,
          base.build(NoticeType.FLAPPINGSTART, null),
          outerSuppression(ctx),
          String.format("flapping started: %.1f%% state change", percent));
    } else if (flapping && percent <= ctx.flapStop()) {
      flapping = false;
      send(
          notices,
          notes,
          base.build(NoticeType.FLAPPINGSTOP, null),
          outerSuppression(ctx),
          String.format("flapping stopped: %.1f%% state change", percent));
      if (status == Status.OK) {
        notified = false;
        lastNotified = 0;
      }
    }

    if (hardChange) {
      notes.add("HARD " + status + (status.isProblem() ? " attempt " + attempt + "/" + max : ""));
      if (status.isProblem()) {
        String why = flapping ? "flapping" : outerSuppression(ctx);
        if (why == null && ack != null) {
          why = "acknowledged by " + ack.author();
        }
        if (send(notices, notes, base.build(NoticeType.PROBLEM, null), why, null)) {
          notified = true;
          lastNotified = time;
        }
      } else {
        if (notified) {
          String why = flapping ? "flapping" : outerSuppression(ctx);
          send(notices, notes, base.build(NoticeType.RECOVERY, null), why, null);
        } else {
          notes.add("no RECOVERY: its problem was never notified");
        }
        notified = false;
        lastNotified = 0;
      }
    }
    AlertState next =
        new AlertState(
            status,
            output,
            hard,
            attempt,
            time,
            lastHardChange,
            hardStatus,
            notified,
            lastNotified,
            ack,
            history,
            flapping,
            percent,
            s.pendingSince());
    return new Step(next, notices, notes);
  }

  /**
   * Time passing without a result: notifies an open hard problem whose PROBLEM is still owed
   * (suppressed before, no longer) or whose re-notification is due. Says nothing while suppressed.
   */
  public static Step tick(AlertState s, String host, String service, long now, Context ctx) {
    if (s == null || !s.hardProblem() || s.flapping() || outerSuppression(ctx) != null) {
      return new Step(s, List.of(), List.of());
    }
    boolean owed = !s.notified() && s.ack() == null;
    boolean renotify =
        s.notified()
            && s.ack() == null
            && ctx.renotifyMs() > 0
            && now - s.lastNotified() >= ctx.renotifyMs();
    if (!owed && !renotify) {
      return new Step(s, List.of(), List.of());
    }
    Notice n =
        new Notice.Builder(
                host,
                service,
                s.status(),
                s.output(),
                now,
                s.lastHardChange(),
                s.attempt(),
                ctx.maxAttempts())
            .build(NoticeType.PROBLEM, null);
    String note = owed ? "PROBLEM notified now: no longer suppressed" : "re-notification";
    return new Step(s.withNotified(true, now), List.of(n), List.of(note));
  }

  /**
   * Acknowledges the current problem; sends an ACKNOWLEDGEMENT as Nagios does (unless suppressed).
   *
   * @throws IllegalStateException when there is no problem to acknowledge
   */
  public static Step acknowledge(
      AlertState s, String host, String service, Ack ack, long now, Context ctx) {
    if (s == null || !s.status().isProblem()) {
      throw new IllegalStateException(
          host + "/" + service + " is " + (s == null ? "unknown" : s.status()) + ", not a problem");
    }
    List<Notice> notices = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Notice n =
        new Notice.Builder(
                host,
                service,
                s.status(),
                s.output(),
                now,
                s.lastHardChange(),
                s.attempt(),
                ctx.maxAttempts())
            .build(NoticeType.ACKNOWLEDGEMENT, ack);
    String note =
        "acknowledged by "
            + ack.author()
            + (ack.sticky() ? " (sticky)" : "")
            + (ack.comment().isEmpty() ? "" : ": " + ack.comment());
    send(notices, notes, n, outerSuppression(ctx), note);
    return new Step(s.withAck(ack), notices, notes);
  }

  /** Removes the acknowledgement {@code id} if it is the current one. */
  public static Step unacknowledge(AlertState s, long id, String who) {
    if (s == null || s.ack() == null || s.ack().id() != id) {
      return new Step(s, List.of(), List.of());
    }
    return new Step(
        s.withAck(null), List.of(), List.of("acknowledgement by " + s.ack().author() + " removed"));
  }

  /** The reason everything about this service is held back, or null. */
  private static String outerSuppression(Context ctx) {
    if (ctx.hostDown()) {
      return "host is DOWN";
    }
    if (ctx.downtime() != null) {
      return "in downtime " + ctx.downtime();
    }
    return null;
  }

  /** Adds {@code n} (and {@code note}) or, when {@code why} is set, a suppression note. */
  private static boolean send(
      List<Notice> notices, List<String> notes, Notice n, String why, String note) {
    if (note != null) {
      notes.add(note);
    }
    if (why != null) {
      notes.add(n.type() + " suppressed: " + why);
      return false;
    }
    notices.add(n);
    return true;
  }
}
