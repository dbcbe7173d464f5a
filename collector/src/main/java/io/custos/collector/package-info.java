/**
 * The Custos collector: receives agents' reports over HTTP, keeps hosts' and services' state in a
 * store, and answers operators. {@link io.custos.collector.Collector} wires the parts; the command
 * line is {@code cli.CollectorMain}.
 */
package io.custos.collector;
