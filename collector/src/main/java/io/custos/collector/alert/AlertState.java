package io.custos.collector.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.common.wire.Status;

/**
 * What the state machine remembers about one (host, service) between results. Immutable; the store
 * keeps it as a JSON document. Times are epoch ms.
 *
 * @param status status of the last result
 * @param output output of the last result
 * @param hard true when {@code status} is a hard state
 * @param attempt current attempt: 1 when OK, else non-OK results in a row capped at max attempts
 * @param lastCheck time of the last result
 * @param lastHardChange when the current hard state began
 * @param hardStatus the current hard state
 * @param notified a PROBLEM was notified for the current hard problem, so its RECOVERY is due
 * @param lastNotified when the last PROBLEM notice went out, 0 if none
 * @param ack acknowledgement of the current problem, or null
 * @param history the last {@value FlapDetector#HISTORY} statuses, oldest first, one letter each
 * @param flapping whether the service is flapping
 * @param flapPercent the last computed weighted state change percentage
 * @param pendingSince for a rule's service: since when its condition has held without its {@code
 *     for:} having passed yet, 0 when it does not hold (kept here, not in one collector's memory,
 *     so that it survives a restart and every collector sharing the store counts from the same
 *     start); 0 for any other service
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
    @JsonProperty("pending_since") long pendingSince) {

  public AlertState {
    history = history == null ? "" : history;
  }

  /** The state of a service never seen: OK and hard, as Nagios assumes. */
  static AlertState initial(long time) {
    return new AlertState(
        Status.OK, "", true, 1, time, time, Status.OK, false, 0, null, "", false, 0, 0);
  }

  /** True while a hard WARNING, CRITICAL or UNKNOWN is open. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean hardProblem() {
    return hard && status.isProblem();
  }

  AlertState withAck(Ack a) {
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
        a,
        history,
        flapping,
        flapPercent,
        pendingSince);
  }

  AlertState withNotified(boolean n, long at) {
    return new AlertState(
        status,
        output,
        hard,
        attempt,
        lastCheck,
        lastHardChange,
        hardStatus,
        n,
        at,
        ack,
        history,
        flapping,
        flapPercent,
        pendingSince);
  }

  AlertState withPendingSince(long since) {
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
        since);
  }
}
