/**
 * The SQL store, written once: {@link io.custos.collector.store.jdbc.JdbcStore} holds every query
 * and the ingest of a report in SQL that SQLite and PostgreSQL both speak, {@link
 * io.custos.collector.store.jdbc.JdbcMigrations} runs the Flyway migrations under {@code
 * db/migration/<dialect>}, and {@link io.custos.collector.store.jdbc.JdbcAlertTx} the alert
 * engine's SQL. What differs between the dialects stays in {@code store.sqlite} and {@code
 * store.postgres}, as small subclasses.
 */
package io.custos.collector.store.jdbc;
