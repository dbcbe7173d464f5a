package io.custos.collector.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.common.wire.Status;

/**
 * What the state machine remembers about one (host, service) between results. Immutable; the store
 * keeps it as a JSON document (fields added later default to 0, false or null when an older
 * document is read). Times are epoch ms.
 *
 * <p>Besides the service's state it keeps what the recipients have been <em>told</em> ({@code
 * notified}, {@code notifiedStatus}, {@code flapNotified}, {@code downtimeId}). Whatever a
 * downtime, flapping or the host being DOWN held back is the difference between the two, and is
 * notified once nothing holds it back any more.
 *
 * @param status status of the last result
 * @param output output of the last result
 * @param hard true when {@code status} is a hard state
 * @param attempt current attempt: 1 when OK, else non-OK results in a row capped at max attempts
 * @param lastCheck time of the last result
 * @param lastHardChange when the current hard state began
 * @param hardStatus the current hard state
 * @param notified the recipients were told of a problem (a PROBLEM went out) and not yet of its end
 * @param lastNotified when the last PROBLEM notice went out, 0 if none
 * @param ack acknowledgement of the current problem, or null
 * @param history the last {@value FlapDetector#HISTORY} statuses, oldest first, one letter each
 * @param flapping whether the service is flapping
 * @param flapPercent the last computed weighted state change percentage
 * @param pendingSince for a rule's service: since when its condition has held without its {@code
 *     for:} having passed yet, 0 when it does not hold (kept here, not in one collector's memory,
 *     so that it survives a restart and every collector sharing the store counts from the same
 *     start); 0 for any other service
 * @param notifiedStatus the problem state the last PROBLEM told of, null when {@code notified} is
 *     false
 * @param notificationNumber PROBLEM and RECOVERY notices sent for the current problem, as Nagios's
 *     {@code $SERVICENOTIFICATIONNUMBER$}; 0 when none
 * @param firstNotified when the first PROBLEM of the current problem went out, 0 if none
 * @param problemStart when the current (or last, until its end is told) problem began: the first
 *     non-OK result of it; 0 when unknown
 * @param flapNotified a FLAPPINGSTART went out and its FLAPPINGSTOP not yet
 * @param downtimeId the downtime whose DOWNTIMESTART this (host, service) announced and whose end
 *     it has not yet; 0 for none
 * @param target for a remote check (ping, tcp, http), the host name it aims at as its last metrics
 *     named it ({@code target} or {@code url} label), kept while it fails without metrics; null for
 *     none
 */
public record AlertState(
    Status status,
    String output,
    boolean hard,
    int attempt,
    @JsonProperty("last_check") long lastCheck,
    @JsonProperty("last_hard_change") long lastHardChange,
    @JsonProperty("hard_status") Status hardStatus,
    boolean notified,
    @JsonProperty("last_notified") long lastNotified,
    Ack ack,
    String history,
    boolean flapping,
    @JsonProperty("flap_percent") double flapPercent,
    @JsonProperty("pending_since") long pendingSince,
    @JsonProperty("notified_status") Status notifiedStatus,
    @JsonProperty("notification_number") int notificationNumber,
    @JsonProperty("first_notified") long firstNotified,
    @JsonProperty("problem_start") long problemStart,
    @JsonProperty("flap_notified") boolean flapNotified,
    @JsonProperty("downtime_id") long downtimeId,
    String target) {

  public AlertState {
    history = history == null ? "" : history;
    if (notified && notifiedStatus == null) {
      // A document written before notified_status existed: it told of the current hard state.
      notifiedStatus = hardStatus != null && hardStatus.isProblem() ? hardStatus : Status.CRITICAL;
    }
    if (!notified) {
      notifiedStatus = null;
    }
  }

  /** The state of a service never seen: OK and hard, as Nagios assumes. */
  static AlertState initial(long time) {
    return new AlertState(
        Status.OK, "", true, 1, time, time, Status.OK, false, 0, null, "", false, 0, 0, null, 0, 0,
        0, false, 0, null);
  }

  /** True while a hard WARNING, CRITICAL or UNKNOWN is open. */
  @JsonIgnore
  public boolean hardProblem() {
    return hard && status.isProblem();
  }

  AlertState withAck(Ack a) {
    return edit().ack(a).build();
  }

  AlertState withTarget(String t) {
    Edit e = edit();
    e.target = t;
    return e.build();
  }

  AlertState withPendingSince(long since) {
    return edit().pendingSince(since).build();
  }

  /** A copy to change some fields of. */
  Edit edit() {
    return new Edit(this);
  }

  /** Mutable copy of an {@link AlertState}, for the state machine's decisions. */
  static final class Edit {
    Status status;
    String output;
    boolean hard;
    int attempt;
    long lastCheck;
    long lastHardChange;
    Status hardStatus;
    boolean notified;
    long lastNotified;
    Ack ack;
    String history;
    boolean flapping;
    double flapPercent;
    long pendingSince;
    Status notifiedStatus;
    int notificationNumber;
    long firstNotified;
    long problemStart;
    boolean flapNotified;
    long downtimeId;
    String target;

    private Edit(AlertState s) {
      status = s.status;
      output = s.output;
      hard = s.hard;
      attempt = s.attempt;
      lastCheck = s.lastCheck;
      lastHardChange = s.lastHardChange;
      hardStatus = s.hardStatus;
      notified = s.notified;
      lastNotified = s.lastNotified;
      ack = s.ack;
      history = s.history;
      flapping = s.flapping;
      flapPercent = s.flapPercent;
      pendingSince = s.pendingSince;
      notifiedStatus = s.notifiedStatus;
      notificationNumber = s.notificationNumber;
      firstNotified = s.firstNotified;
      problemStart = s.problemStart;
      flapNotified = s.flapNotified;
      downtimeId = s.downtimeId;
      target = s.target;
    }

    Edit ack(Ack a) {
      ack = a;
      return this;
    }

    Edit pendingSince(long since) {
      pendingSince = since;
      return this;
    }

    /** Records that a PROBLEM telling of {@code told} went out at {@code at}. */
    Edit problemNotified(Status told, long at) {
      notified = true;
      notifiedStatus = told;
      lastNotified = at;
      notificationNumber++;
      if (firstNotified == 0) {
        firstNotified = at;
      }
      return this;
    }

    /** Records that the recipients now know the problem is over (or were never told of it). */
    Edit outageClosed() {
      notified = false;
      notifiedStatus = null;
      lastNotified = 0;
      notificationNumber = 0;
      firstNotified = 0;
      return this;
    }

    AlertState build() {
      return new AlertState(
          status,
          output,
          hard,
          attempt,
          lastCheck,
          lastHardChange,
          hardStatus,
          notified,
          lastNotified,
          ack,
          history,
          flapping,
          flapPercent,
          pendingSince,
          notifiedStatus,
          notificationNumber,
          firstNotified,
          problemStart,
          flapNotified,
          downtimeId,
          target);
    }
  }
}
