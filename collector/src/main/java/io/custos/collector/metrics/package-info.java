/**
 * The collector's Prometheus exposition: its own health (ingest rate and latency, store size, queue
 * depths) through the Prometheus Java client, and the latest value of every series its agents
 * report, labelled with {@code host}.
 */
package io.custos.collector.metrics;
