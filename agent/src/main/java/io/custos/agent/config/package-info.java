/**
 * The agent's configuration records, read strictly from YAML with {@link
 * io.custos.common.config.ConfigReader}; see {@link io.custos.agent.config.AgentConfig} for the
 * keys and defaults.
 */
package io.custos.agent.config;
