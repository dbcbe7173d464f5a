/**
 * The SQLite {@link io.custos.collector.store.Store}: a {@link
 * io.custos.collector.store.jdbc.JdbcStore} on one file in WAL mode, with one writer connection
 * (group commit, background checkpoints) and one reader. All SQLite specifics stay in this package.
 */
package io.custos.collector.store.sqlite;
