/**
 * The {@code snmp} check: SNMP v2c or v3 polls of named objects, ports and UPSes. Depends only on
 * {@code io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.snmp;
