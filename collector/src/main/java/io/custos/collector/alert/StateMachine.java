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
 *   <li>The state remembers what the recipients were told. Whatever a downtime, flapping or the
 *       host being DOWN held back is notified on the first {@link #tick} after it ends, if it still
 *       holds: a PROBLEM for an open hard problem not yet told (or told with another status), a
 *       RECOVERY for a told problem that recovered meanwhile, a FLAPPINGSTART for a flapping not
 *       yet told, a FLAPPINGSTOP for a told one that stopped. A told problem is notified again
 *       every {@code renotify} until acknowledged.
 *   <li>Acknowledgements end as in Nagios: any at recovery, a non-sticky one also when the status
 *       changes; a soft problem becoming hard with the same status is no change.
 *   <li>Flapping: see {@link FlapDetector}; FLAPPINGSTART once at ≥ start %, FLAPPINGSTOP once at ≤
 *       stop % (only if its FLAPPINGSTART went out), nothing else in between. A RECOVERY flapping
 *       held back goes out once flapping has ended (on the next tick), as after a downtime.
 *   <li>PROBLEM and RECOVERY notices are numbered per problem (1st, 2nd …), as Nagios's {@code
 *       $SERVICENOTIFICATIONNUMBER$}; acknowledgements and the other types are not counted.
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
   * @param hold why the service's notices are held back besides a downtime, as the history says it
   *     ({@code host is DOWN}, {@code host is UNREACHABLE (cut off by sw1 DOWN)}, {@code target
   *     db01 is DOWN}), or null
   */
  public record Context(
      int maxAttempts,
      long renotifyMs,
      double flapStart,
      double flapStop,
      String downtime,
      String hold) {}

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

    /** {@code first} followed by {@code second}, which was decided on {@code first}'s state. */
    static Step then(Step first, Step second) {
      List<Notice> n = new ArrayList<>(first.notices());
      n.addAll(second.notices());
      List<String> h = new ArrayList<>(first.notes());
      h.addAll(second.notes());
      return new Step(second.state(), n, h);
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

    AlertState.Edit e = s.edit();
    e.status = status;
    e.output = output;
    e.hard = hard;
    e.attempt = attempt;
    e.lastCheck = time;
    if (hardChange) {
      e.lastHardChange = time;
    }
    if (hard) {
      e.hardStatus = status;
    }
    if (status.isProblem() && !s.status().isProblem()) {
      e.problemStart = time;
    }
    endAcknowledgement(s, status, e, notes);

    e.history = FlapDetector.append(s.history(), status);
    e.flapPercent = FlapDetector.percent(e.history);
    String outer = outerSuppression(ctx);
    Notice.Builder base =
        new Notice.Builder(host, service, status, output, time, e.lastHardChange, attempt, max);
    if (!s.flapping() && e.flapPercent >= ctx.flapStart()) {
      e.flapping = true;
      notes.add(String.format("flapping started: %.1f%% state change", e.flapPercent));
      if (send(notices, notes, base.build(NoticeType.FLAPPINGSTART, null), outer, null)) {
        e.flapNotified = true;
      }
    } else if (s.flapping() && e.flapPercent <= ctx.flapStop()) {
      e.flapping = false;
      notes.add(String.format("flapping stopped: %.1f%% state change", e.flapPercent));
      flappingStopped(e, base, outer, notices, notes);
    }

    if (hardChange) {
      notes.add("HARD " + status + (status.isProblem() ? " attempt " + attempt + "/" + max : ""));
      String why = e.flapping ? "flapping" : outer;
      if (status.isProblem()) {
        if (why == null && e.ack != null) {
          why = "acknowledged by " + e.ack.author();
        }
        if (send(notices, notes, problem(base, e), why, null)) {
          e.problemNotified(status, time);
        }
      } else if (!e.notified) {
        notes.add("no RECOVERY: its problem was never notified");
        e.outageClosed();
      } else if (send(notices, notes, recovery(base, e), why, null)) {
        e.outageClosed();
      } else {
        notes.add("RECOVERY held back: it goes out when nothing holds it back any more");
      }
    }
    return new Step(e.build(), notices, notes);
  }

  /**
   * Ends the acknowledgement as Nagios does ({@code base/checks.c}): any acknowledgement at a
   * recovery, a non-sticky one also when the status differs from the previous result's. A soft
   * problem becoming hard with the same status is no change (icinga-core #643).
   */
  private static void endAcknowledgement(
      AlertState s, Status status, AlertState.Edit e, List<String> notes) {
    Ack ack = s.ack();
    if (ack == null) {
      return;
    }
    if (status == Status.OK) {
      notes.add("acknowledgement by " + ack.author() + " ended: recovered");
      e.ack = null;
    } else if (!ack.sticky() && status != s.status()) {
      notes.add(
          "acknowledgement by "
              + ack.author()
              + " ended: "
              + s.status()
              + " changed to "
              + status
              + " (not sticky)");
      e.ack = null;
    }
  }

  /** Flapping has stopped: FLAPPINGSTOP if its FLAPPINGSTART went out; in OK it ends the outage. */
  private static void flappingStopped(
      AlertState.Edit e,
      Notice.Builder base,
      String outer,
      List<Notice> notices,
      List<String> notes) {
    if (!e.flapNotified) {
      notes.add("no FLAPPINGSTOP: its FLAPPINGSTART was never sent");
      return;
    }
    if (send(notices, notes, base.build(NoticeType.FLAPPINGSTOP, null), outer, null)) {
      // Even when it says OK, the outage stays open: a RECOVERY flapping held back follows on
      // the next tick, exactly as after a downtime, so that a webhook or ticket consumer waiting
      // for it closes its incident (Icinga 2 #7427, #9449).
      e.flapNotified = false;
    }
  }

  private static Notice problem(Notice.Builder base, AlertState.Edit e) {
    return base.numbered(
        NoticeType.PROBLEM,
        e.notificationNumber + 1,
        e.firstNotified == 0 ? base.time() : e.firstNotified,
        null,
        e.problemStart);
  }

  private static Notice recovery(Notice.Builder base, AlertState.Edit e) {
    return base.numbered(
        NoticeType.RECOVERY,
        e.notificationNumber + 1,
        e.firstNotified,
        e.notifiedStatus,
        e.problemStart);
  }

  /**
   * Time passing without a result: notifies what was held back and is no longer (a downtime,
   * flapping or the host being DOWN has ended) and due re-notifications. What the recipients were
   * told is compared with the state now: a flapping they were not told of gets its FLAPPINGSTART
   * (Icinga 2 #7270), one that ended its FLAPPINGSTOP; a problem they were told of that has
   * recovered its RECOVERY (Icinga 2 #4427); an open hard problem they were not told of, or told of
   * with another status, its PROBLEM. Says nothing while suppressed.
   */
  public static Step tick(AlertState s, String host, String service, long now, Context ctx) {
    if (s == null || idle(s) || outerSuppression(ctx) != null) {
      return new Step(s, List.of(), List.of());
    }
    List<Notice> notices = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    AlertState.Edit e = s.edit();
    Notice.Builder base =
        new Notice.Builder(
            host,
            service,
            s.status(),
            s.output(),
            now,
            s.lastHardChange(),
            s.attempt(),
            ctx.maxAttempts());
    String late = "notified now: no longer suppressed";
    if (s.flapping() && !s.flapNotified()) {
      notices.add(base.build(NoticeType.FLAPPINGSTART, null));
      notes.add("FLAPPINGSTART " + late);
      e.flapNotified = true;
    } else if (!s.flapping() && s.flapNotified()) {
      notes.add("FLAPPINGSTOP " + late);
      flappingStopped(e, base, null, notices, notes);
    }
    if (!e.flapping) {
      if (!s.hardProblem() && s.hardStatus() == Status.OK && e.notified) {
        Notice.Builder ok =
            new Notice.Builder(
                host,
                service,
                Status.OK,
                s.status() == Status.OK
                    ? s.output()
                    : "recovered; since then " + s.status() + " (soft): " + s.output(),
                now,
                s.lastHardChange(),
                1,
                ctx.maxAttempts());
        notices.add(recovery(ok, e));
        notes.add("RECOVERY " + late);
        e.outageClosed();
      } else if (s.hardProblem() && e.ack == null) {
        boolean owed = !e.notified || e.notifiedStatus != s.status();
        boolean expired = !owed && e.lastNotified == 0;
        boolean renotify =
            !owed && (expired || ctx.renotifyMs() > 0 && now - e.lastNotified >= ctx.renotifyMs());
        if (owed || renotify) {
          notices.add(problem(base, e));
          notes.add(
              owed
                  ? "PROBLEM " + late
                  : expired ? "re-notification: its acknowledgement expired" : "re-notification");
          e.problemNotified(s.status(), now);
        }
      }
    }
    if (notices.isEmpty()) {
      return new Step(s, List.of(), List.of());
    }
    return new Step(e.build(), notices, notes);
  }

  /**
   * True when time alone cannot make {@code s} notify anything: no problem is open or told, and the
   * recipients know whether it flaps. Most states of a healthy fleet are idle, so the tick skips
   * them cheaply.
   */
  static boolean idle(AlertState s) {
    return !s.hardProblem() && !s.notified() && s.flapping() == s.flapNotified();
  }

  /**
   * Announces a downtime of exactly this (host, service)'s scope starting or ending, as Nagios's
   * DOWNTIMESTART and DOWNTIMEEND: a host's or group's downtime is announced on the host's {@code
   * Host Alive}, a service's on that service.
   *
   * @param active the downtime of this scope active now, or null
   * @param known the downtime {@code s.downtimeId()} names, if it still exists; else null
   * @param notify false to record the change in the history only (no notice)
   */
  public static Step downtime(
      AlertState s,
      String host,
      String service,
      Downtime active,
      Downtime known,
      long now,
      boolean notify) {
    long is = active == null ? 0 : active.id();
    if (s == null || s.downtimeId() == is) {
      return new Step(s, List.of(), List.of());
    }
    List<Notice> notices = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (s.downtimeId() != 0) {
      String what = known == null ? "#" + s.downtimeId() : known.describe();
      notes.add("downtime " + what + " ended");
      if (notify) {
        notices.add(downtimeNotice(NoticeType.DOWNTIMEEND, s, host, service, known, what, now));
      }
    }
    if (active != null) {
      notes.add("downtime " + active.describe() + " started");
      if (notify) {
        notices.add(
            downtimeNotice(
                NoticeType.DOWNTIMESTART,
                s,
                host,
                service,
                active,
                active.describe() + Notice.ENDS + active.ends(),
                now));
      }
    }
    AlertState.Edit e = s.edit();
    e.downtimeId = is;
    return new Step(e.build(), notices, notes);
  }

  /** Announces that {@code d}, which this (host, service) announced, was deleted before its end. */
  public static Step downtimeCancelled(
      AlertState s, String host, String service, Downtime d, long now, boolean notify) {
    if (s == null || s.downtimeId() != d.id()) {
      return new Step(s, List.of(), List.of());
    }
    AlertState.Edit e = s.edit();
    e.downtimeId = 0;
    List<Notice> notices =
        notify
            ? List.of(
                downtimeNotice(
                    NoticeType.DOWNTIMECANCELLED, s, host, service, d, d.describe(), now))
            : List.of();
    return new Step(e.build(), notices, List.of("downtime " + d.describe() + " cancelled"));
  }

  private static Notice downtimeNotice(
      NoticeType type,
      AlertState s,
      String host,
      String service,
      Downtime d,
      String what,
      long now) {
    return new Notice(
        type,
        host,
        service,
        s.status(),
        what,
        now,
        s.lastHardChange(),
        s.attempt(),
        s.attempt(),
        d == null ? null : d.author(),
        d == null ? null : d.comment());
  }

  /**
   * Acknowledges the current problem; sends an ACKNOWLEDGEMENT as Nagios does (unless suppressed),
   * saying since when the problem exists.
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
    long since = s.problemStart() > 0 ? s.problemStart() : s.lastHardChange();
    Notice n =
        new Notice(
            NoticeType.ACKNOWLEDGEMENT,
            host,
            service,
            s.status(),
            s.output(),
            now,
            since,
            s.attempt(),
            ctx.maxAttempts(),
            ack.author(),
            ack.comment(),
            0,
            s.firstNotified(),
            null,
            since);
    String note =
        "acknowledged by "
            + ack.author()
            + (ack.sticky() ? " (sticky)" : "")
            + (ack.expires() > 0 ? " until " + java.time.Instant.ofEpochMilli(ack.expires()) : "")
            + (ack.comment().isEmpty() ? "" : ": " + ack.comment());
    if (s.ack() != null) {
      // The recipients were told this problem is acknowledged; a second ack only replaces the
      // first (its author, comment, stickiness and expiry), as Icinga 2 keeps one per problem.
      notes.add(note + " (replaces the acknowledgement by " + s.ack().author() + ")");
      return new Step(s.withAck(ack), List.of(), notes);
    }
    send(notices, notes, n, outerSuppression(ctx), note);
    return new Step(s.withAck(ack), notices, notes);
  }

  /**
   * Ends an acknowledgement whose expiry has passed (Icinga 2's {@code expiry}): the problem is
   * then told of again as any unacknowledged one is (re-notification, or an owed PROBLEM).
   */
  public static Step expireAck(AlertState s, long now) {
    if (s == null || s.ack() == null || !s.ack().expiredAt(now)) {
      return new Step(s, List.of(), List.of());
    }
    AlertState.Edit e = s.edit().ack(null);
    if (e.notified) {
      // Told again on this tick, whatever the renotify interval: the expiry was the reminder.
      e.lastNotified = 0;
    }
    return new Step(
        e.build(), List.of(), List.of("acknowledgement by " + s.ack().author() + " expired"));
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
    if (ctx.hold() != null) {
      return ctx.hold();
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
