/**
 * Storage of hosts, reports, service state, events and tokens behind the {@link
 * io.custos.collector.store.Store} interface. Everything here is independent of the database; SQL
 * lives in the implementation packages ({@code sqlite}, {@code postgres}), which all pass the same
 * contract test; SQL both dialects share word for word is in {@code jdbc}.
 */
package io.custos.collector.store;
