package io.custos.collector.status;

/**
 * What the alert engine adds to a row of the service table.
 *
 * @param attempt the state machine's attempt
 * @param maxAttempts attempts before the state is hard, for this service
 * @param hard true for a hard state
 * @param acknowledged the problem is acknowledged
 * @param inDowntime a scheduled downtime covers it now
 * @param flapping it is flapping
 */
public record ServiceFlags(
    int attempt,
    int maxAttempts,
    boolean hard,
    boolean acknowledged,
    boolean inDowntime,
    boolean flapping) {

  /** Short marks for a terminal table: {@code ACK DOWNTIME FLAPPING}, or empty. */
  public String marks() {
    StringBuilder b = new StringBuilder();
    if (acknowledged) {
      b.append("ACK ");
    }
    if (inDowntime) {
      b.append("DOWNTIME ");
    }
    if (flapping) {
      b.append("FLAPPING ");
    }
    return b.toString().strip();
  }
}
