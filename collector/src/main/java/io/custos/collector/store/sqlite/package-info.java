/**
 * The SQLite {@link io.custos.collector.store.Store}: schema migrations as SQL resources, WAL mode,
 * one writer and one reader connection. All SQLite specifics stay in this package.
 */
package io.custos.collector.store.sqlite;
