package io.custos.collector;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.archive.ArchiveSpaceCheck;
import io.custos.collector.archive.ArchiveStore;
import io.custos.collector.store.HostRecord;
import io.custos.common.wire.Report;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's own services, reported every {@value #INTERVAL_S} s as host {@value #HOST} so
 * that they alert like any other: today {@link ArchiveSpaceCheck} (the archive store's volume and
 * whether it can be written). The host is collector-made ({@link HostRecord#COLLECTOR_AGENT}): it
 * can never take over an agent's node of the same name; if an agent owns that name, the report is
 * refused by the store and logged once.
 *
 * <p>Failure behaviour: a failed report is logged (once per kind) and the next run tries again.
 */
final class SelfReport implements Runnable {
  /** The host the collector's own services are under. */
  static final String HOST = "custos-collector";

  static final String AGENT = HostRecord.COLLECTOR_AGENT + "self";
  static final int INTERVAL_S = 60;

  private static final Logger LOG = LoggerFactory.getLogger(SelfReport.class);

  private final AlertEngine engine;
  private final ArchiveStore archives;
  private final Clock clock;
  private final AtomicLong seq = new AtomicLong();
  private volatile String lastFailure;
  private boolean started;

  SelfReport(AlertEngine engine, ArchiveStore archives, Clock clock) {
    this.engine = engine;
    this.archives = archives;
    this.clock = clock;
  }

  @Override
  public void run() {
    long now = clock.millis();
    try {
      if (!started && !inUse()) {
        return;
      }
      started = true;
      engine.ingest(
          new Report(
              Report.VERSION,
              HOST,
              AGENT,
              seq.updateAndGet(last -> Math.max(last + 1, now)),
              now,
              INTERVAL_S,
              List.of("custos"),
              List.of(ArchiveSpaceCheck.run(archives, now)),
              List.of()));
      lastFailure = null;
    } catch (RuntimeException e) {
      String kind = e.getClass().getName();
      if (!kind.equals(lastFailure)) {
        LOG.warn("the collector's own services ({}) could not be stored: {}", HOST, e.toString());
      }
      lastFailure = kind;
    }
  }

  private boolean inUse() {
    if (!archives.health().probe()) {
      return true;
    }
    try {
      return !archives.nodes().isEmpty()
          || archives.space().free() < 2 * archives.reserve()
          || collectorHostExists();
    } catch (java.io.IOException e) {
      return true;
    }
  }

  // after a restart, a host shown before stays
  private boolean collectorHostExists() {
    return engine.states().containsKey(HOST + "\0" + ArchiveSpaceCheck.SERVICE);
  }
}
