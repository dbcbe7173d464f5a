/**
 * Checks: the {@link io.custos.agent.check.Check} interface, one class per kind, and the one {@link
 * io.custos.agent.check.CheckRegistry}. Checks read {@code proc/...} and {@code sys/...} under a
 * root path so tests point them at fixture trees, and run programs through {@code CommandRunner} so
 * tests answer with captured output; parsing lives in package-private pure functions.
 *
 * <p>Kinds: local ({@code filesystem}, {@code load}, {@code memory}, {@code raid}, {@code cpu},
 * {@code diskio}, {@code network}, {@code nic}, {@code bond}, {@code temperature}, {@code fans},
 * {@code voltage}, {@code process}, {@code systemd}, {@code users}), remote ({@code ping}, {@code
 * tcp}, {@code http}/{@code https}, {@code ssh}, {@code snmp}) and Nagios plugins ({@code
 * command}). {@code docs/checks.md} has the YAML of each.
 *
 * <p>Sources: on Linux, and for any root other than the live {@code /}, checks read text under the
 * root; on FreeBSD and macOS the file system, NIC, memory, process and sensor checks read through
 * OSHI ({@code Platform}, {@code Oshi*} adapters), which is loaded on first need only. Sensors go
 * through a {@code SensorSource}: hwmon first, OSHI for what it lacks. Each kind's sample YAML is
 * {@code samples/<type>.yml} beside these classes.
 *
 * <p>Families live in sub-packages ({@code fs}, {@code host}, {@code net}, {@code sensors}, {@code
 * raid}, {@code smart}, {@code ipmi}, {@code libvirt}, {@code remote}, {@code plugin}, {@code
 * snmp}); what reads the machine ({@code /proc}, {@code /sys}, OSHI) is in {@code os}. A family
 * uses this package and {@code os}, never another family.
 *
 * <p>Conventions: output is Nagios-style ({@code RAID CRITICAL - md0 degraded: ...}); percentage
 * thresholds trigger at or above the limit (80% used is WARNING when warning is 80%, as
 * check_disk), load limits strictly above (as check_load). A check that throws or exceeds its
 * {@code timeout} (default 10s) is UNKNOWN. {@link io.custos.agent.check.Schedule} holds the keys
 * every check takes ({@code interval}, {@code timeout}, {@code for}, {@code times}/{@code within});
 * {@link io.custos.agent.check.CheckRunner} applies them, with {@code Hold} deciding what a status
 * held over time reports. Stateful checks (rates, last link speed, fans seen spinning) keep their
 * state in the check instance, which lives as long as the runner.
 */
package io.custos.agent.check;
