/**
 * Remote service checks: {@code ping}, {@code tcp}, {@code http}/{@code https} and {@code ssh}.
 * Depends only on {@code io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.remote;
