/**
 * The {@code filesystem} check: used space and inodes per mounted file system. Depends only on
 * {@code io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.fs;
