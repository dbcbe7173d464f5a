package io.custos.collector.store;

import io.custos.common.wire.Status;

/**
 * The next (attempt, last change) of a service given its stored state and a new result — the part
 * of the Nagios state machine every store applies identically on ingest.
 *
 * @param attempt 1 for OK; otherwise non-OK results in a row, capped at max attempts
 * @param lastChange when the status last changed
 * @param event true when an event must be recorded: the status changed, or a new service starts in
 *     a non-OK status (a new service that starts OK changed from nothing worth recording)
 */
public record ServiceTransition(int attempt, long lastChange, boolean event) {

  /**
   * Applies a new result.
   *
   * @param previous stored status, or null for a service not seen before
   * @param previousAttempt stored attempt (ignored when {@code previous} is null)
   * @param previousChange stored last change (ignored when {@code previous} is null)
   * @param status the new result's status
   * @param time the new result's time
   */
  public static ServiceTransition next(
      Status previous,
      int previousAttempt,
      long previousChange,
      Status status,
      long time,
      int maxAttempts) {
    boolean changed = previous != status;
    long lastChange = changed ? time : previousChange;
    int attempt;
    if (status == Status.OK) {
      attempt = 1;
    } else if (previous == null || previous == Status.OK) {
      attempt = 1;
    } else {
      // WARNING -> CRITICAL still counts on: the service has been failing all along.
      attempt = Math.min(previousAttempt + 1, maxAttempts);
    }
    boolean event = changed && (previous != null || status != Status.OK);
    return new ServiceTransition(attempt, lastChange, event);
  }
}
