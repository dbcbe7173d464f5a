package io.custos.agent.check.os;

/**
 * One process, as {@code /proc/<pid>/stat} and OSHI show it.
 *
 * @param cpuTicks utime + stime in clock ticks
 * @param startTicks start time in clock ticks after boot
 * @param rssBytes resident set size
 */
public record Proc(
    long pid,
    String comm,
    String cmdline,
    long cpuTicks,
    long startTicks,
    long rssBytes,
    char state) {
  /** Clock ticks per second of the times ({@code USER_HZ}, 100 on every mainstream Linux). */
  public static final int USER_HZ = 100;

  public Proc(
      long pid, String comm, String cmdline, long cpuTicks, long startTicks, long rssBytes) {
    this(pid, comm, cmdline, cpuTicks, startTicks, rssBytes, 'S');
  }

  /** A zombie ({@code Z}, exited, not yet reaped) or dead ({@code X}) process runs nothing. */
  public boolean gone() {
    return state == 'Z' || state == 'X';
  }
}
