/**
 * The {@code command} check: a Nagios plugin run by the agent, with its perfdata parsed. Depends
 * only on {@code io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.plugin;
