/**
 * The PostgreSQL {@link io.custos.collector.store.Store}, for several collectors sharing one
 * database: a {@link io.custos.collector.store.jdbc.JdbcStore} on a HikariCP pool, with row locks
 * and outbox claims where collectors may meet, and no state in memory. It passes the same contract
 * test as the SQLite store.
 */
package io.custos.collector.store.postgres;
