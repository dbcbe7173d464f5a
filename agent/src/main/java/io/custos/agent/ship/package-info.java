/**
 * Shipping reports: the {@link io.custos.agent.ship.Spool} (on-disk queue and sequence numbers) and
 * the {@link io.custos.agent.ship.ReportSender} that POSTs to the collector.
 */
package io.custos.agent.ship;
