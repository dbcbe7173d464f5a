/**
 * The PostgreSQL {@link io.custos.collector.store.Store}, for several collectors sharing one
 * database: schema migrations as SQL resources, a small connection pool, no state in memory. It
 * passes the same contract test as the SQLite store.
 */
package io.custos.collector.store.postgres;
