package io.custos.collector.store.postgres;

import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.history.HistoryRetention;
import java.time.Clock;

/** Placeholder until the PostgreSQL store lands. */
public final class PostgresStore {
  private PostgresStore() {}

  public static Store open(
      String url,
      String user,
      String password,
      Clock clock,
      StatePolicy policy,
      HistoryRetention retention) {
    throw new StoreException("PostgreSQL store " + url + " is not implemented yet");
  }
}
