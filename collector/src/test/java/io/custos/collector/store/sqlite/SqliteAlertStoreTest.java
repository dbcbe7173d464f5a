package io.custos.collector.store.sqlite;

import io.custos.collector.TestClock;
import io.custos.collector.store.AlertStoreContractTest;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import java.nio.file.Path;

class SqliteAlertStoreTest extends AlertStoreContractTest {
  @Override
  protected Store open(Path dir, TestClock clock, StatePolicy policy) {
    return SqliteStore.open(dir.resolve("collector.db"), clock, policy);
  }
}
