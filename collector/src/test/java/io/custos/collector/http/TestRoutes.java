package io.custos.collector.http;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.config.LimitsSection;
import io.custos.collector.ingest.IngestGuard;
import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Store;
import java.util.List;

/** The production route table over a store, with a real alert engine that notifies no one. */
final class TestRoutes {
  private TestRoutes() {}

  static Router create(Store store, StatusBoard board) {
    return create(store, board, LimitsSection.ofDefaults());
  }

  static Router create(Store store, StatusBoard board, LimitsSection limits) {
    AlertEngine engine =
        new AlertEngine(store, board.clock(), CollectorConfig.ofDefaults(), List.of(), () -> {});
    return Routes.create(
        store,
        board,
        new CollectorMetrics(),
        engine,
        new IngestGuard(limits, store, board.clock()));
  }
}
