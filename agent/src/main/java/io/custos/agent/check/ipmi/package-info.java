/**
 * The {@code ipmi} check: BMC sensors, power supplies and the SEL through FreeIPMI or ipmitool.
 * Depends only on {@code io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.ipmi;
