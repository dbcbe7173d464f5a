package io.custos.agent.check.host;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Levels;
import io.custos.agent.check.os.OshiHost;
import io.custos.agent.check.os.Platform;
import io.custos.agent.check.os.Proc;
import io.custos.agent.check.os.SysText;
import io.custos.common.units.Durations;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * A process by name, regular expression or pidfile, from {@code <root>/proc/<pid>/{comm,cmdline,
 * stat,status}}. See {@link ProcessConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: process, name: "Service Status - sshd", match: sshd }
 * - { type: process, name: nginx, pidfile: /run/nginx.pid }
 * }</pre>
 *
 * <p>One service, by default {@code Process <match>} or {@code Process <pidfile>}. CRITICAL when
 * fewer than {@code min} (1) processes match, or the pidfile is missing or names a pid that is not
 * running (gone, or a zombie: {@code State: Z}); zombies never count as matching processes; WARNING
 * when more than {@code max}. OK: {@code PROCS OK - 3 processes matching sshd (pid 612, up 2h 5m,
 * CPU 0.3%, RSS 23.1 MiB)}. The pid and uptime are the oldest match's; CPU (% of one core, between
 * two runs, so absent on the first) and RSS are summed over all matches. Metrics {@code
 * process_count}, {@code process_uptime_seconds}, {@code process_resident_bytes}, {@code
 * process_cpu_percent}. Uptime assumes the kernel's USER_HZ of 100, as on every mainstream Linux.
 *
 * <p>Failure behaviour: processes that exit while being read are skipped; an unreadable {@code
 * /proc} throws, and so becomes UNKNOWN.
 */
public final class ProcessCheck implements Check {
  public static final int USER_HZ = Proc.USER_HZ;

  private final ProcessConfig config;
  private final Supplier<OperatingSystem> oshi;
  private final Pattern pattern;
  private final String service;
  private Map<Long, Long> previousTicks = Map.of();
  private long previousTime;

  public ProcessCheck(ProcessConfig config) {
    this(config, () -> new oshi.SystemInfo().getOperatingSystem());
  }

  /**
   * @param oshi the process table used where there is no {@code /proc} (see {@link Platform#oshi})
   */
  public ProcessCheck(ProcessConfig config, Supplier<OperatingSystem> oshi) {
    this.oshi = oshi;
    this.config = config;
    this.pattern = config.match() == null ? null : Pattern.compile(config.match());
    this.service =
        config.match() != null ? "Process " + config.match() : "Process " + config.pidfile();
  }

  @Override
  public String kind() {
    return "process";
  }

  @Override
  public String name() {
    return service;
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    long now = context.now();
    List<Proc> found = new ArrayList<>();
    String what;
    boolean viaOshi = Platform.oshi(context);
    if (pattern != null && viaOshi) {
      what = "matching " + config.match();
      for (Proc p : OshiHost.procs(oshi.get().getProcesses())) {
        if (!p.gone() && matches(pattern, p)) {
          found.add(p);
        }
      }
    } else if (pattern != null) {
      what = "matching " + config.match();
      for (String entry : SysText.list(context.resolve("proc"))) {
        if (!entry.chars().allMatch(Character::isDigit)) {
          continue;
        }
        Proc p = read(context.resolve("proc/" + entry), Long.parseLong(entry));
        if (p != null && !p.gone() && matches(pattern, p)) {
          found.add(p);
        }
      }
    } else {
      Path pidfile = context.resolve(config.pidfile().replaceFirst("^/+", ""));
      what = "from " + config.pidfile();
      String text = SysText.read(pidfile);
      if (text == null || !text.matches("\\d+")) {
        return List.of(
            result(
                Status.CRITICAL,
                text == null ? config.pidfile() + " missing" : config.pidfile() + " holds no pid",
                now,
                List.of()));
      }
      Proc p;
      if (viaOshi) {
        OSProcess o = oshi.get().getProcess(Integer.parseInt(text));
        p = o == null ? null : OshiHost.proc(o);
      } else {
        p = read(context.resolve("proc/" + text), Long.parseLong(text));
      }
      if (p == null) {
        return List.of(
            result(
                Status.CRITICAL,
                config.pidfile() + " names pid " + text + ", which is not running",
                now,
                List.of()));
      }
      if (p.gone()) {
        return List.of(
            result(
                Status.CRITICAL,
                config.pidfile()
                    + " names pid "
                    + text
                    + ", which is a "
                    + (p.state() == 'Z' ? "zombie" : "dead process")
                    + " (State: "
                    + p.state()
                    + " in /proc/"
                    + text
                    + "/stat), not running",
                now,
                List.of()));
      }
      found.add(p);
    }
    // OSHI's start times are epoch times already (see OshiHost#proc)
    long btime = found.isEmpty() || viaOshi ? 0 : bootTime(context);
    Map<Long, Long> ticks = new HashMap<>();
    found.forEach(p -> ticks.put(p.pid(), p.cpuTicks()));
    Double cpu = null;
    if (!previousTicks.isEmpty() && now > previousTime) {
      long delta = 0;
      for (Proc p : found) {
        Long before = previousTicks.get(p.pid());
        delta += before == null ? 0 : Math.max(0, p.cpuTicks() - before);
      }
      cpu = Levels.round1(delta * 100.0 / USER_HZ / ((now - previousTime) / 1000.0));
    }
    previousTicks = ticks;
    previousTime = now;
    return List.of(result(found, what, btime, cpu, config, now, service));
  }

  /** True when the regex equals the process name or is found in its command line. */
  static boolean matches(Pattern pattern, Proc p) {
    return pattern.matcher(p.comm()).matches()
        || !p.cmdline().isEmpty() && pattern.matcher(p.cmdline()).find();
  }

  /** A process from its {@code /proc/<pid>} directory, or null when it has gone. */
  static Proc read(Path dir, long pid) {
    String comm = SysText.read(dir.resolve("comm"));
    String stat = SysText.read(dir.resolve("stat"));
    if (comm == null || stat == null) {
      return null;
    }
    String cmdline;
    try {
      cmdline =
          new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ')
              .strip();
    } catch (IOException e) {
      cmdline = "";
    }
    long[] s = parseStat(stat);
    return new Proc(
        pid, comm, cmdline, s[0], s[1], rss(SysText.read(dir.resolve("status"))), state(stat));
  }

  /**
   * utime + stime and starttime from {@code /proc/<pid>/stat}; the name in parentheses may hold
   * blanks and parentheses, so fields are counted after the last {@code )}.
   */
  static long[] parseStat(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
    // f[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
    return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[19])};
  }

  /** The state letter of {@code /proc/<pid>/stat} ({@code R}, {@code S}, {@code Z}, ...); pure. */
  static char state(String stat) {
    int close = stat.lastIndexOf(')');
    return close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
  }

  private static long rss(String status) {
    if (status == null) {
      return 0;
    }
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) * 1024;
      }
    }
    return 0; // kernel threads have no VmRSS
  }

  private static long bootTime(CheckContext context) throws IOException {
    for (String line : SysText.lines(context.resolve("proc/stat"))) {
      if (line.startsWith("btime ")) {
        return Long.parseLong(line.substring(6).strip());
      }
    }
    throw new IllegalArgumentException("no btime in /proc/stat");
  }

  /** The result for the processes found; {@code cpu} null on the first run; pure. */
  static CheckResult result(
      List<Proc> found,
      String what,
      long btime,
      Double cpu,
      ProcessConfig config,
      long now,
      String service) {
    int n = found.size();
    Status status = Status.OK;
    if (n < config.min()) {
      status = Status.CRITICAL;
    } else if (config.max() != null && n > config.max()) {
      status = Status.WARNING;
    }
    List<Metric> metrics = new ArrayList<>();
    metrics.add(
        new Metric(
            "process_count",
            Map.of(),
            n,
            null,
            config.max() == null ? null : config.max().doubleValue(),
            (double) config.min(),
            0.0,
            null));
    String detail = "";
    if (n > 0) {
      Proc oldest =
          found.stream().min((a, b) -> Long.compare(a.startTicks(), b.startTicks())).get();
      long startedMillis = btime * 1000 + oldest.startTicks() * 1000 / USER_HZ;
      long up = Math.max(0, (now - startedMillis) / 1000);
      long rss = found.stream().mapToLong(Proc::rssBytes).sum();
      metrics.add(Metric.of("process_uptime_seconds", Map.of(), up, "s"));
      metrics.add(Metric.of("process_resident_bytes", Map.of(), rss, "B"));
      detail =
          " (pid "
              + oldest.pid()
              + ", up "
              + Durations.format(Duration.ofSeconds(up))
              + (cpu == null ? "" : ", CPU " + Levels.pct1(cpu))
              + ", RSS "
              + String.format(java.util.Locale.ROOT, "%.1f MiB", rss / 1048576.0)
              + ")";
      if (cpu != null) {
        metrics.add(Metric.of("process_cpu_percent", Map.of(), cpu, "%"));
      }
    }
    String text = n + (n == 1 ? " process " : " processes ") + what + detail;
    if (status == Status.CRITICAL) {
      text += ", expected at least " + config.min();
    } else if (status == Status.WARNING) {
      text += ", expected at most " + config.max();
    }
    return new CheckResult(
        service, "process", status, "PROCS " + status + " - " + text, now, metrics);
  }

  private CheckResult result(Status status, String text, long now, List<Metric> metrics) {
    return new CheckResult(
        service, "process", status, "PROCS " + status + " - " + text, now, metrics);
  }
}
