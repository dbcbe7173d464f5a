/**
 * JDBC code that the SQLite and PostgreSQL stores share word for word; what differs between the
 * dialects stays in {@code store.sqlite} and {@code store.postgres}.
 */
package io.custos.collector.store.jdbc;
