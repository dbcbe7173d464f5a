package io.custos.agent.check.os;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oshi.hardware.GlobalMemory;
import oshi.software.os.OSProcess;

/**
 * Memory and processes from OSHI, for nodes that are not Linux, in the shapes the {@code memory}
 * and {@code process} checks already judge: a {@code /proc/meminfo}-like map in bytes, and {@link
 * Proc}s.
 */
public final class OshiHost {
  private OshiHost() {}

  /** {@code MemTotal}, {@code MemAvailable}, {@code SwapTotal} and {@code SwapFree} in bytes. */
  public static Map<String, Long> meminfo(GlobalMemory memory) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("MemTotal", memory.getTotal());
    out.put("MemAvailable", memory.getAvailable());
    long swapTotal = memory.getVirtualMemory().getSwapTotal();
    out.put("SwapTotal", swapTotal);
    out.put("SwapFree", Math.max(0, swapTotal - memory.getVirtualMemory().getSwapUsed()));
    return out;
  }

  /**
   * {@code p} as a {@link Proc}. Times are given in the check's clock ticks ({@link Proc#USER_HZ})
   * with the boot time 0, so the start tick is the start's epoch time: the check's uptime
   * arithmetic holds unchanged.
   */
  public static Proc proc(OSProcess p) {
    long msPerTick = 1000 / Proc.USER_HZ;
    char state =
        switch (p.getState()) {
          case ZOMBIE -> 'Z';
          case INVALID -> 'X';
          case RUNNING -> 'R';
          case STOPPED -> 'T';
          case WAITING -> 'D';
          default -> 'S';
        };
    return new Proc(
        p.getProcessID(),
        p.getName(),
        p.getCommandLine() == null ? "" : p.getCommandLine().replace('\0', ' ').strip(),
        (p.getUserTime() + p.getKernelTime()) / msPerTick,
        p.getStartTime() / msPerTick,
        p.getResidentSetSize(),
        state);
  }

  /** Every process of {@code processes}, as {@link #proc} maps it. */
  public static List<Proc> procs(List<OSProcess> processes) {
    List<Proc> out = new ArrayList<>();
    for (OSProcess p : processes) {
      out.add(proc(p));
    }
    return out;
  }
}
