/**
 * Network checks: {@code nic} (link, speed, duplex), {@code bond} (Linux bonding) and {@code
 * network} (throughput, errors). Depends only on {@code io.custos.agent.check} and its {@code os}
 * package.
 */
package io.custos.agent.check.net;
