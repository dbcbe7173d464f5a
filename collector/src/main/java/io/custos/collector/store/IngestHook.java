package io.custos.collector.store;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import java.util.List;

/** Work done inside a report's ingest transaction, after its results are stored. */
@FunctionalInterface
public interface IngestHook {
  /** Does nothing. */
  IngestHook NONE = (report, applied, tx) -> {};

  /**
   * Called once per newly stored report (never for a duplicate).
   *
   * @param applied the results that advanced their service's state (late ones are left out)
   */
  void ingested(Report report, List<CheckResult> applied, AlertTx tx);
}
