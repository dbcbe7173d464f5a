/** The {@code custos-agent} command line (picocli); {@code main} only wires. */
package io.custos.agent.cli;
