package io.custos.collector;

import io.custos.collector.store.postgres.EmbeddedPostgresServer;

/** {@link AlertApiTest} with the collector on PostgreSQL: the alert engine end to end there. */
class PostgresAlertApiTest extends AlertApiTest {
  @Override
  String storeYaml() throws Exception {
    return "{ postgresql: { url: '" + EmbeddedPostgresServer.newDatabase() + "' } }";
  }
}
