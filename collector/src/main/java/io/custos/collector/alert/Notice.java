package io.custos.collector.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.custos.common.wire.Status;

/**
 * One notification the state machine decided to send, before grouping and transport.
 *
 * @param type what happened
 * @param host node name
 * @param service service name; {@value AlertEngine#HOST_ALIVE} for the host itself
 * @param status the state notified (for the host: CRITICAL means DOWN, OK means UP)
 * @param output the check output
 * @param time when it was decided, epoch ms
 * @param since when the hard state began, epoch ms
 * @param attempt attempt of the result, for the "Attempt 3/3" line
 * @param maxAttempts attempts before a state is hard
 * @param author who acknowledged, or null
 * @param comment acknowledgement comment, or null
 * @param late why the notice is late (a result replayed from an agent's spool, or held back by an
 *     outage of the collector), with when it was observed; null for a timely notice
 */
public record Notice(
    NoticeType type,
    String host,
    String service,
    Status status,
    String output,
    long time,
    long since,
    int attempt,
    @com.fasterxml.jackson.annotation.JsonProperty("max_attempts") int maxAttempts,
    String author,
    String comment,
    String late) {

  /**
   * This notice for a result observed at {@code observed} but decided later: {@code since} moved
   * back to the observation when it was the decision's own time, and {@code why} kept in {@link
   * #late()}.
   */
  Notice asLate(long observed, String why) {
    return new Notice(
        type,
        host,
        service,
        status,
        output,
        time,
        since == time ? observed : since,
        attempt,
        maxAttempts,
        author,
        comment,
        why);
  }

  /** True for the synthetic service that stands for the host itself. */
  @JsonIgnore
  public boolean isHost() {
    return AlertEngine.HOST_ALIVE.equals(service);
  }

  /** The state as words: {@code CRITICAL}, or {@code DOWN}/{@code UP} for a host. */
  @JsonIgnore
  public String stateName() {
    if (isHost()) {
      return status == Status.OK ? "UP" : "DOWN";
    }
    return status.name();
  }

  /** {@code PROBLEM web01/Filesystem / is CRITICAL}, {@code RECOVERY web01 is UP}. */
  @JsonIgnore
  public String headline() {
    return type + " " + (isHost() ? host : host + "/" + service) + " is " + stateName();
  }

  /** The fields every notice of one decision shares. */
  record Builder(
      String host,
      String service,
      Status status,
      String output,
      long time,
      long since,
      int attempt,
      int maxAttempts) {
    Notice build(NoticeType type, Ack ack) {
      return new Notice(
          type,
          host,
          service,
          status,
          output,
          time,
          since,
          attempt,
          maxAttempts,
          ack == null ? null : ack.author(),
          ack == null ? null : ack.comment(),
          null);
    }
  }
}
