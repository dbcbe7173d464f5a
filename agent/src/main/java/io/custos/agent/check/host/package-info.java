/**
 * Checks of the host's own load: {@code load}, {@code memory}, {@code cpu}, {@code diskio}, {@code
 * users}, {@code process} and {@code systemd}. Depends only on {@code io.custos.agent.check} and
 * its {@code os} package.
 */
package io.custos.agent.check.host;
