/**
 * The {@code raid} check: Linux software RAID from {@code /proc/mdstat}. Depends only on {@code
 * io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.raid;
