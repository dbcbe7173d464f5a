package io.custos.collector.store;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.postgres.PostgresStore;
import io.custos.collector.store.sqlite.SqliteStore;
import java.time.Clock;

/** Opens the store a configuration names. */
public final class Stores {
  private Stores() {}

  /**
   * Opens and migrates the configured store.
   *
   * @throws StoreException naming the database when it cannot be opened
   */
  public static Store open(CollectorConfig config, Clock clock) {
    StatePolicy policy =
        new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter());
    CollectorConfig.StoreSection s = config.store();
    if (s.postgresql() != null) {
      return PostgresStore.open(
          s.postgresql().url(),
          s.postgresql().user(),
          s.postgresql().readPassword(),
          s.postgresql().poolSize(),
          clock,
          policy,
          HistoryRetention.of(config.history()));
    }
    return SqliteStore.open(s.sqlitePath(), clock, policy, HistoryRetention.of(config.history()));
  }
}
