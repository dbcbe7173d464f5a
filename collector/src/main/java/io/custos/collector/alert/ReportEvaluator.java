package io.custos.collector.alert;

import static io.custos.collector.status.StatusBoard.HOST_ALIVE;

import io.custos.collector.status.Topology;
import io.custos.collector.store.AlertTx;
import io.custos.collector.store.StoreException;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs, as the store's ingest hook, the {@link StateMachine} of every (host, service) of a stored
 * report, and of the rules over its metrics, inside the report's transaction (which holds the
 * host's lock). A host that reports again is UP. A bug for one result is logged and that result
 * skipped, so it cannot block ingest; a store failure propagates (the report is then not
 * acknowledged).
 */
final class ReportEvaluator {
  private static final Logger LOG =
      LoggerFactory.getLogger("io.custos.collector.alert.AlertEngine");

  private final AlertCore core;
  private final Clock clock;
  private final RuleEvaluator rules;

  ReportEvaluator(AlertCore core) {
    this.core = core;
    this.clock = core.clock;
    this.rules = new RuleEvaluator(core.config.rules());
  }

  /**
   * Applies {@code applied}, the results of {@code report} the store accepted, in {@code tx}.
   *
   * @return true when notices were queued
   */
  boolean onReport(Report report, List<CheckResult> applied, AlertTx tx) {
    long now = clock.millis();
    String host = report.node();
    Set<String> groups = core.groupsOf(host, report.tags());
    boolean queued = false;
    AlertState alive = core.read(tx.alertState(host, HOST_ALIVE));
    if (alive != null && alive.status().isProblem()) {
      queued |=
          apply(tx, host, HOST_ALIVE, groups, alive, Status.OK, "HOST UP - reporting again", now);
    }
    for (CheckResult c : applied) {
      try {
        AlertState prev = core.read(tx.alertState(host, c.service()));
        Topology.Snapshot snap = core.hostStates();
        String target = Targets.of(c, snap.nodes().keySet(), prev == null ? null : prev.target());
        StateMachine.Step step =
            StateMachine.result(
                prev,
                host,
                c.service(),
                c.status(),
                c.output(),
                now,
                core.context(
                    host,
                    c.service(),
                    groups,
                    AlertCore.targetHold(host, target, problemStart(prev, c, now), snap),
                    now));
        if (!java.util.Objects.equals(target, step.state().target())) {
          step =
              new StateMachine.Step(step.state().withTarget(target), step.notices(), step.notes());
        }
        step = Thresholds.mark(step, c.metrics());
        step =
            LateResults.mark(
                step, c.time(), now, report.intervalS(), core.hearingSince(), clock.getZone());
        queued |= core.commit(tx, host, c.service(), step, now);
      } catch (StoreException e) {
        throw e;
      } catch (RuntimeException e) {
        LOG.error("alert engine failed on {}/{}; result skipped", host, c.service(), e);
      }
    }
    try {
      // Under the host's lock (the report's transaction), so the stored pending start read here is
      // the one the previous report of this host left, whichever collector stored it.
      List<RuleEvaluator.Result> results =
          rules.evaluate(
              groups,
              applied,
              now,
              rule -> {
                AlertState prev = core.read(tx.alertState(host, rule));
                return prev == null ? 0 : prev.pendingSince();
              });
      for (RuleEvaluator.Result r : results) {
        AlertState prev = core.read(tx.alertState(host, r.service()));
        StateMachine.Step step =
            StateMachine.result(
                prev,
                host,
                r.service(),
                r.status(),
                r.output(),
                now,
                core.context(host, r.service(), groups, null, now));
        StateMachine.Step withPending =
            new StateMachine.Step(
                step.state().withPendingSince(r.pendingSince()), step.notices(), step.notes());
        queued |= core.commit(tx, host, r.service(), withPending, now);
      }
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("alert engine failed on the rules for {}; skipped", host, e);
    }
    return queued;
  }

  /** When the problem {@code c} continues or opens began; 0 for an OK result. */
  private static long problemStart(AlertState prev, CheckResult c, long now) {
    if (!c.status().isProblem()) {
      return 0;
    }
    return prev != null && prev.status().isProblem() && prev.problemStart() > 0
        ? prev.problemStart()
        : now;
  }

  private boolean apply(
      AlertTx tx,
      String host,
      String service,
      Set<String> groups,
      AlertState prev,
      Status status,
      String output,
      long now) {
    StateMachine.Step step =
        StateMachine.result(
            prev,
            host,
            service,
            status,
            output,
            now,
            core.context(host, service, groups, null, now));
    return core.commit(tx, host, service, step, now);
  }
}
