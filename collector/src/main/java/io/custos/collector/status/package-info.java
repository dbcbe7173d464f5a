/**
 * What operators see: stored host and service state evaluated against the injected clock, with host
 * liveness ({@code Host Alive}) computed at query time. No I/O of its own.
 */
package io.custos.collector.status;
