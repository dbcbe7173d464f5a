/**
 * SNMP traps into the collector: {@link io.custos.collector.traps.TrapReceiver} turns SNMPv2c traps
 * into events and, by rule ({@code snmp_traps:} in {@code collector.yml}), into service states that
 * go through the alert state machine like an agent's results.
 */
package io.custos.collector.traps;
