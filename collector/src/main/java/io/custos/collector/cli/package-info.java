/**
 * The {@code custos-collector} command line (picocli): {@code run}, {@code check-config}, {@code
 * token create}. Commands only wire; exit codes 0 ok, 2 failure, 3 usage.
 */
package io.custos.collector.cli;
