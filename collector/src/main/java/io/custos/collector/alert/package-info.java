/**
 * The alert engine: when a result is an incident and whom to tell, with Nagios's semantics.
 *
 * <p>{@link io.custos.collector.alert.StateMachine} is the whole decision logic as pure functions
 * of the previous state, the input and the time (soft/hard, flapping, acknowledgement, downtime,
 * re-notification, recovery only after a notified problem). {@link
 * io.custos.collector.alert.AlertEngine} runs it inside the store's ingest transaction and on a
 * one-second tick (host liveness, re-notification, the end of a downtime), and queues notices in
 * the store's outbox in the same transaction. {@link io.custos.collector.alert.Dispatcher} delivers
 * the outbox with one thread per transport, grouping a host's notices and retrying with backoff.
 * The operator's view is {@code docs/alerts.md}.
 */
package io.custos.collector.alert;
