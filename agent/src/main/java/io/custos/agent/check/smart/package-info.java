/**
 * The {@code smart} check: disk health through {@code smartctl}. Depends only on {@code
 * io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.smart;
