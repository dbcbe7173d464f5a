package io.custos.collector.alert;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.AlertStateRecord;
import io.custos.collector.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The downtime schedule, Alertmanager's silences: scheduling and deleting downtimes (the {@link
 * AlertCore} keeps the schedule the state machines are muted by). Deleting an announced downtime
 * sends its DOWNTIMECANCELLED at once; what it held back goes out on the next tick.
 */
final class Downtimes {
  private final AlertCore core;
  private final Store store;
  private final Clock clock;
  private final CollectorConfig config;
  private final Runnable wake;

  /**
   * @param wake called after a commit that queued notices
   */
  Downtimes(AlertCore core, Runnable wake) {
    this.core = core;
    this.store = core.store;
    this.clock = core.clock;
    this.config = core.config;
    this.wake = wake;
  }

  /** Schedules a downtime; returns it with its id. */
  Downtime add(Downtime d) {
    long now = clock.millis();
    Downtime stored =
        store.alerts(
            tx -> {
              long id = tx.addDowntime(AlertCore.toRecord(d), now);
              Downtime withId =
                  new Downtime(
                      id,
                      d.host(),
                      d.service(),
                      d.group(),
                      d.start(),
                      d.end(),
                      d.weekly(),
                      d.author(),
                      d.comment());
              tx.event(
                  d.host() == null ? "group:" + d.group() : d.host(),
                  d.service() == null ? "" : d.service(),
                  now,
                  "OK",
                  "downtime scheduled " + withId.describe());
              core.reloadDowntimes(tx);
              return withId;
            });
    return stored;
  }

  /** All scheduled downtimes, active or not. */
  List<Downtime> all() {
    return core.downtimes();
  }

  /**
   * Deletes a downtime; false if there was none. Where its start was announced, a DOWNTIMECANCELLED
   * goes out; what it held back is notified on the next tick.
   */
  boolean delete(long id) {
    long now = clock.millis();
    boolean[] queued = {false};
    boolean deleted =
        store.alerts(
            tx -> {
              Downtime d =
                  AlertCore.toDowntimes(tx.downtimes()).stream()
                      .filter(x -> x.id() == id)
                      .findFirst()
                      .orElse(null);
              boolean gone = tx.deleteDowntime(id);
              core.reloadDowntimes(tx);
              if (!gone || d == null) {
                return gone;
              }
              Set<String> hosts = new TreeSet<>();
              for (AlertStateRecord r : tx.alertStates()) {
                AlertState s = core.read(r.json());
                if (s.downtimeId() == id) {
                  hosts.add(r.host());
                }
              }
              for (String host : hosts) {
                tx.lockHost(host);
                for (AlertStateRecord r : tx.alertStates()) {
                  if (!r.host().equals(host)) {
                    continue;
                  }
                  AlertState s = core.read(r.json());
                  StateMachine.Step step =
                      StateMachine.downtimeCancelled(
                          s, host, r.service(), d, now, config.notifications().downtimeNotices());
                  if (step.state() != s) {
                    queued[0] |= core.commit(tx, host, r.service(), step, now);
                  }
                }
              }
              return true;
            });
    if (queued[0]) {
      wake.run();
    }
    return deleted;
  }
}
