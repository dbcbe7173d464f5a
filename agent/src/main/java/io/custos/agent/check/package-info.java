/**
 * Checks: the {@link io.custos.agent.check.Check} interface, one class per kind, and the one {@link
 * io.custos.agent.check.CheckRegistry}. Checks read {@code proc/...} under a root path so tests
 * point them at fixture trees; parsing lives in package-private pure functions.
 *
 * <p>Conventions: service names are {@code Filesystem <mount point>}, {@code Load}, {@code Memory}
 * and {@code Swap}; percentage thresholds trigger at or above the limit (80% used is WARNING when
 * warning is 80%, as check_disk), load limits strictly above (as check_load). A check that throws
 * or exceeds its {@code timeout} (default 10s) is UNKNOWN.
 */
package io.custos.agent.check;
