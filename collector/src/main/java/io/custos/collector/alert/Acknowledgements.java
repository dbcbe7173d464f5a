package io.custos.collector.alert;

import io.custos.collector.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Acknowledgements: an operator's {@code POST /api/v1/acks} and {@code DELETE}, decided under the
 * host's lock and stored with the ACKNOWLEDGEMENT they send. How long one lasts is the {@link
 * StateMachine}'s business.
 */
final class Acknowledgements {
  private final AlertCore core;
  private final Store store;
  private final Clock clock;
  private final Runnable wake;

  /**
   * @param wake called after a commit that queued notices
   */
  Acknowledgements(AlertCore core, Runnable wake) {
    this.core = core;
    this.store = core.store;
    this.clock = core.clock;
    this.wake = wake;
  }

  /**
   * Acknowledges the problem of (host, service).
   *
   * @return the acknowledgement's id
   * @throws java.util.NoSuchElementException when the service is unknown
   * @throws IllegalStateException when it is not in a problem state
   */
  long acknowledge(
      String host, String service, String author, String comment, boolean sticky, long expires) {
    long now = clock.millis();
    if (expires != 0 && expires <= now) {
      throw new IllegalArgumentException(
          "expire: "
              + java.time.Instant.ofEpochMilli(expires)
              + " is not in the future (now "
              + java.time.Instant.ofEpochMilli(now)
              + ")");
    }
    long id =
        store.alerts(
            tx -> {
              tx.lockHost(host);
              AlertState s = core.read(tx.alertState(host, service));
              if (s == null) {
                throw new java.util.NoSuchElementException(
                    "no service \"" + service + "\" on host \"" + host + "\"");
              }
              if (!s.status().isProblem()) {
                throw new IllegalStateException(
                    host + "/" + service + " is OK; only a problem can be acknowledged");
              }
              long ackId = tx.addAck(host, service, author, comment, sticky, now);
              Ack ack = new Ack(ackId, author, comment, sticky, now, expires);
              Set<String> groups = core.groupsOf(host, AlertCore.hostTags(tx, host));
              StateMachine.Step step =
                  StateMachine.acknowledge(
                      s,
                      host,
                      service,
                      ack,
                      now,
                      core.context(
                          host,
                          service,
                          groups,
                          core.hold(host, service, s.target(), s.problemStart(), core.hostStates()),
                          now));
              core.commit(tx, host, service, step, now);
              return ackId;
            });
    wake.run();
    return id;
  }

  /** Removes acknowledgement {@code id}; false if no such acknowledgement exists. */
  boolean unacknowledge(long id, String who) {
    long now = clock.millis();
    return store.alerts(
        tx -> {
          Optional<List<String>> target = tx.ackTarget(id);
          if (target.isEmpty()) {
            return false;
          }
          String host = target.get().get(0);
          String service = target.get().get(1);
          tx.lockHost(host);
          AlertState s = core.read(tx.alertState(host, service));
          StateMachine.Step step = StateMachine.unacknowledge(s, id, who);
          if (step.state() != s) {
            core.commit(tx, host, service, step, now);
          }
          return true;
        });
  }
}
