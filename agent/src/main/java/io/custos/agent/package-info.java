/**
 * The Custos agent. {@link io.custos.agent.Agent} runs the configured checks every interval, puts
 * each {@link io.custos.common.wire.Report} in the on-disk spool and flushes the spool to the
 * collector; {@code io.custos.agent.cli.AgentMain} is the command line.
 *
 * <p>Choices made where the design is silent: the first report sequence number of a new spool is
 * the current epoch millisecond (see {@link io.custos.agent.ship.Spool}); commands without {@code
 * --config} read {@code /etc/custos/agent.yml} when it exists, else use every default; the token
 * comes from {@code collector.token_file}, else the {@code CUSTOS_TOKEN} environment variable.
 */
package io.custos.agent;
