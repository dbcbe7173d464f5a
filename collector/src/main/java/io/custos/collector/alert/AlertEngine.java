package io.custos.collector.alert;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.status.AlertView;
import io.custos.collector.status.ServiceFlags;
import io.custos.collector.status.ServiceView;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.IngestResult;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.common.wire.Report;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The alert engine: the {@link StateMachine} of every (host, service) wired to the store, queueing
 * notices in the store's outbox for the {@link Dispatcher}. Time comes from the injected clock
 * only. It is a facade over its parts, split as Alertmanager splits its pipeline:
 *
 * <ul>
 *   <li>{@link ReportEvaluator} — runs the state machines on each stored report, inside the
 *       report's transaction;
 *   <li>{@link LivenessTicker} — what time alone decides ({@link #tick}): hosts going DOWN,
 *       re-notifications, whatever a downtime or flapping held back, downtime notices;
 *   <li>{@link Acknowledgements} and {@link Downtimes} — what operators do through the API;
 *       downtimes are the muter the state machines consult ({@link AlertCore#context});
 *   <li>{@link AlertReadModel} — what the service table and the API show.
 * </ul>
 *
 * <p>Failure: a store failure propagates (a report is then not acknowledged and the agent retries);
 * a bug in the engine for one result is logged and that result skipped, so it cannot block ingest.
 */
public final class AlertEngine implements AlertView {

  private final AlertCore core;
  private final Store store;
  private final Runnable wake;
  private final ReportEvaluator ingest;
  private final LivenessTicker ticker;
  private final Acknowledgements acks;
  private final Downtimes downtimes;
  private final AlertReadModel read;

  /**
   * @param transports names of the transports every notice is queued for
   * @param wake called after a commit that queued notices, to wake the dispatcher
   */
  public AlertEngine(
      Store store, Clock clock, CollectorConfig config, List<String> transports, Runnable wake) {
    this.core = new AlertCore(store, clock, config, transports);
    this.store = store;
    this.wake = wake;
    this.ingest = new ReportEvaluator(core);
    this.ticker = new LivenessTicker(core, wake);
    this.acks = new Acknowledgements(core, wake);
    this.downtimes = new Downtimes(core, wake);
    this.read = new AlertReadModel(core);
  }

  /** Stores a report and runs the state machines on it in the same transaction. */
  public IngestResult ingest(Report report) {
    boolean[] queued = {false};
    IngestResult r;
    try {
      r = store.ingest(report, (rep, applied, tx) -> queued[0] = ingest.onReport(rep, applied, tx));
    } catch (StoreException e) {
      core.markDeaf();
      throw e;
    }
    if (queued[0]) {
      wake.run();
    }
    return r;
  }

  /**
   * Evaluates time: hosts silent for {@code absent_after} intervals go DOWN (one host PROBLEM),
   * owed and due notifications go out, downtimes starting and ending are announced. Silence counts
   * from the host's last report or from when this collector could last start hearing it (its start,
   * or the store's recovery), whichever is later. Call it every second or so; tests call it
   * directly. Several collectors may tick on one database at once; each decision is taken once (see
   * {@link LivenessTicker}).
   */
  public void tick() {
    ticker.tick();
  }

  /**
   * Acknowledges the problem of (host, service).
   *
   * @return the acknowledgement's id
   * @throws java.util.NoSuchElementException when the service is unknown
   * @throws IllegalStateException when it is not in a problem state
   */
  public long acknowledge(
      String host, String service, String author, String comment, boolean sticky) {
    return acks.acknowledge(host, service, author, comment, sticky, 0);
  }

  /**
   * Acknowledges the problem of (host, service) until {@code expires} (epoch ms, 0 for never); a
   * problem already acknowledged has its acknowledgement replaced, without a second notice.
   *
   * @return the acknowledgement's id
   * @throws java.util.NoSuchElementException when the service is unknown
   * @throws IllegalStateException when it is not in a problem state
   * @throws IllegalArgumentException when {@code expires} is not in the future
   */
  public long acknowledge(
      String host, String service, String author, String comment, boolean sticky, long expires) {
    return acks.acknowledge(host, service, author, comment, sticky, expires);
  }

  /** Removes acknowledgement {@code id}; false if no such acknowledgement exists. */
  public boolean unacknowledge(long id, String who) {
    return acks.unacknowledge(id, who);
  }

  /** Schedules a downtime; returns it with its id. */
  /**
   * Why a downtime of {@code host} (and {@code service}, when not null) would cover nothing, as
   * Nagios' and Icinga 2's "host not found" refuse it: empty when the collector knows the host (and
   * the service, or it is {@value StatusBoard#HOST_ALIVE}), else the message naming what is
   * unknown.
   */
  public Optional<String> unknownTarget(String host, String service) {
    if (store.hosts().stream().noneMatch(h -> h.name().equals(host))) {
      return Optional.of("host: no host \"" + host + "\" has reported");
    }
    if (service == null
        || service.equals(StatusBoard.HOST_ALIVE)
        || store.services(host).stream().anyMatch(r -> r.service().equals(service))) {
      return Optional.empty();
    }
    return Optional.of("service: no service \"" + service + "\" on host \"" + host + "\"");
  }

  public Downtime addDowntime(Downtime d) {
    return downtimes.add(d);
  }

  /** All scheduled downtimes, active or not. */
  public List<Downtime> downtimes() {
    return downtimes.all();
  }

  /**
   * Deletes a downtime; false if there was none. Where its start was announced, a DOWNTIMECANCELLED
   * goes out; what it held back is notified on the next tick.
   */
  public boolean deleteDowntime(long id) {
    return downtimes.delete(id);
  }

  /** The state machine's view of every (host, service), keyed {@code host + "\0" + service}. */
  public Map<String, AlertState> states() {
    return read.states();
  }

  @Override
  public long hostDownSince(String host) {
    return read.hostDownSince(host);
  }

  /** Flags for the service table: attempt, soft/hard, acknowledged, in downtime, flapping. */
  @Override
  public Map<String, ServiceFlags> flags() {
    return read.flags();
  }

  /**
   * Declares that the collector cannot hear reports yet (it is starting): no host goes DOWN and the
   * board shows none DOWN until {@link #startHearing()}. A collector that starts slowly under load
   * thus never counts its own start-up as the hosts' silence.
   */
  public void notHearingYet() {
    core.notHearingYet();
  }

  /**
   * Declares that the collector listens from now: a host is absent only when silent for {@code
   * absent_after} of its intervals counted from its last report or from now, whichever is later.
   */
  public void startHearing() {
    core.startHearing(core.clock.millis());
  }

  @Override
  public long hearingSince() {
    return core.hearingSince();
  }

  @Override
  public io.custos.collector.status.Topology topology() {
    return core.topology();
  }

  /** The rules' synthetic services, as rows of the service table. */
  @Override
  public List<ServiceView> extraRows(String host, long now) {
    return read.extraRows(host, now);
  }

  /** The active downtime covering (host, service) now, if any. */
  public Optional<Downtime> activeDowntime(String host, List<String> tags, String service) {
    return read.activeDowntime(host, tags, service);
  }

  /** A host's groups: its agent's tags plus the configured {@code groups:} patterns it matches. */
  Set<String> groupsOf(String host, List<String> tags) {
    return core.groupsOf(host, tags);
  }
}
