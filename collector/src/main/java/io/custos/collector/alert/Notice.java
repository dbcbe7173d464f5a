package io.custos.collector.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.custos.collector.status.StatusBoard;
import io.custos.common.wire.Status;

/**
 * One notification the state machine decided to send, before grouping and transport.
 *
 * @param type what happened
 * @param host node name
 * @param service service name; {@value io.custos.collector.status.StatusBoard#HOST_ALIVE} for the
 *     host itself
 * @param status the state notified (for the host: CRITICAL means DOWN, OK means UP)
 * @param output the check output
 * @param time when it was decided, epoch ms
 * @param since when the hard state began, epoch ms
 * @param attempt attempt of the result, for the "Attempt 3/3" line
 * @param maxAttempts attempts before a state is hard
 * @param author who acknowledged (or scheduled the downtime), or null
 * @param comment acknowledgement (or downtime) comment, or null
 * @param number for PROBLEM and RECOVERY: which notification of this problem it is, counting from 1
 *     as Nagios's {@code $SERVICENOTIFICATIONNUMBER$}; 0 for the other types
 * @param firstSent when the first PROBLEM of this problem went out, epoch ms; 0 if none
 * @param problemStatus for RECOVERY: the problem state the recipients were last told of; else null
 * @param problemSince when the problem began (its first non-OK result), epoch ms; 0 if unknown or
 *     not applicable
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
    int number,
    @com.fasterxml.jackson.annotation.JsonProperty("first_sent") long firstSent,
    @com.fasterxml.jackson.annotation.JsonProperty("problem_status") Status problemStatus,
    @com.fasterxml.jackson.annotation.JsonProperty("problem_since") long problemSince,
    String late) {

  /** A notice without the numbering and problem fields (0 and null), not late. */
  public Notice(
      NoticeType type,
      String host,
      String service,
      Status status,
      String output,
      long time,
      long since,
      int attempt,
      int maxAttempts,
      String author,
      String comment) {
    this(
        type,
        host,
        service,
        status,
        output,
        time,
        since,
        attempt,
        maxAttempts,
        author,
        comment,
        0,
        0,
        null,
        0);
  }

  /** A timely notice with the numbering and problem fields. */
  public Notice(
      NoticeType type,
      String host,
      String service,
      Status status,
      String output,
      long time,
      long since,
      int attempt,
      int maxAttempts,
      String author,
      String comment,
      int number,
      long firstSent,
      Status problemStatus,
      long problemSince) {
    this(
        type,
        host,
        service,
        status,
        output,
        time,
        since,
        attempt,
        maxAttempts,
        author,
        comment,
        number,
        firstSent,
        problemStatus,
        problemSince,
        null);
  }

  /**
   * This notice for a result observed at {@code observed} but decided later: {@code since} (and
   * {@code problemSince}) moved back to the observation when it was the decision's own time, and
   * {@code why} kept in {@link #late()}.
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
        number,
        firstSent,
        problemStatus,
        problemSince == time ? observed : problemSince,
        why);
  }

  /** This notice with {@code line} (one line, no newline) added below its output. */
  Notice withOutputLine(String line) {
    return new Notice(
        type,
        host,
        service,
        status,
        output + "\n" + line,
        time,
        since,
        attempt,
        maxAttempts,
        author,
        comment,
        number,
        firstSent,
        problemStatus,
        problemSince,
        late);
  }

  /** True for the synthetic service that stands for the host itself. */
  @JsonIgnore
  public boolean isHost() {
    return StatusBoard.HOST_ALIVE.equals(service);
  }

  /**
   * The state as words: {@code CRITICAL}, or {@code DOWN}/{@code UNREACHABLE}/{@code UP} for a host
   * (UNREACHABLE when its output says it is cut off by a DOWN parent).
   */
  @JsonIgnore
  public String stateName() {
    if (isHost()) {
      if (status == Status.OK) {
        return "UP";
      }
      return output != null && output.startsWith("HOST UNREACHABLE") ? "UNREACHABLE" : "DOWN";
    }
    return status.name();
  }

  /**
   * {@code PROBLEM web01/Filesystem / is CRITICAL}, {@code RECOVERY web01 is UP}, {@code
   * DOWNTIMESTART web01: #3 by bob: kernel}.
   */
  @JsonIgnore
  public String headline() {
    String what = isHost() ? host : host + "/" + service;
    if (type.isDowntime()) {
      int ends = output.indexOf(ENDS);
      return type + " " + what + ": " + (ends < 0 ? output : output.substring(0, ends));
    }
    return type + " " + what + " is " + stateName();
  }

  /** Separates a DOWNTIMESTART's downtime from when it ends, in its output. */
  static final String ENDS = "; ends ";

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
          ack == null ? null : ack.comment());
    }

    /** A PROBLEM or RECOVERY: numbered, with when the problem began and what it was. */
    Notice numbered(
        NoticeType type, int number, long firstSent, Status problemStatus, long problemSince) {
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
          null,
          null,
          number,
          firstSent,
          problemStatus,
          problemSince);
    }
  }
}
