package io.custos.agent.check.libvirt;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.HardwareTool;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The domains of a KVM/QEMU host from {@code virsh domstats --raw --state --cpu-total --balloon
 * --vcpu}, which lists running and shut-off domains alike. See {@link LibvirtConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: libvirt, expect_running: [web, db] }
 * }</pre>
 *
 * <p>One service, {@code Libvirt}: CRITICAL when a domain of {@code expect_running} is shut off,
 * crashed, shutting down or not defined, WARNING when it is paused or suspended, and when {@code
 * cpu_warning}/{@code cpu_critical} are set, by each domain's CPU use between two runs ({@code
 * cpu.time} delta over wall time, in percent of its vCPUs). State numbers are libvirt's {@code
 * virDomainState} (1 running, 3 paused, 5 shut off, 6 crashed, 7 pmsuspended).
 *
 * <p>Metrics, label {@code domain}: {@code libvirt_domain_state}, {@code
 * libvirt_domain_cpu_time_seconds_total}, {@code libvirt_domain_cpu_usage_percent} (from the second
 * run on), {@code libvirt_domain_vcpus}, {@code libvirt_domain_balloon_current_bytes} and {@code
 * libvirt_domain_balloon_maximum_bytes}; and {@code libvirt_domains_running}. The host itself (CPU,
 * memory, load, disks) is what the cpu, memory, load and filesystem checks already watch.
 *
 * <p>Failure behaviour: no virsh is UNKNOWN "virsh not found (package libvirt-clients)"; a hung
 * virsh (libvirtd not answering) is killed at the timeout and UNKNOWN; virsh failing (no permission
 * on the socket) is UNKNOWN with its error.
 */
public final class LibvirtCheck implements Check {
  private final LibvirtConfig config;
  private final Schedule schedule;
  private final CommandRunner runner;
  private final Map<String, Sample> previous = new HashMap<>();

  /** One domain's CPU time (ns) at a wall-clock time (ms). */
  record Sample(long cpuNanos, long atMillis) {}

  public LibvirtCheck(LibvirtConfig config) {
    this(config, CommandRunner.SYSTEM);
  }

  /** With every shared key at the kind's default. */
  public LibvirtCheck(LibvirtConfig config, CommandRunner runner) {
    this(config, config.defaultSchedule(), runner);
  }

  /**
   * The check for one {@code checks:} entry: its own keys, its shared keys ({@code name}, {@code
   * timeout}), and the runner through which it starts programs.
   */
  public LibvirtCheck(LibvirtConfig config, Schedule schedule, CommandRunner runner) {
    this.config = config;
    this.schedule = schedule;
    this.runner = runner;
  }

  @Override
  public String kind() {
    return "libvirt";
  }

  @Override
  public String name() {
    return schedule.name() != null ? schedule.name() : "Libvirt";
  }

  /**
   * One domain of {@code virsh domstats}.
   *
   * @param name the domain name
   * @param stats its {@code key=value} fields, e.g. {@code state.state=1}, {@code cpu.time=…}
   */
  record Domain(String name, Map<String, String> stats) {
    int state() {
      return (int) number("state.state", 0);
    }

    long number(String key, long otherwise) {
      try {
        return Long.parseLong(stats.getOrDefault(key, ""));
      } catch (NumberFormatException e) {
        return otherwise;
      }
    }

    boolean has(String key) {
      return stats.containsKey(key);
    }
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws Exception {
    HardwareTool tool =
        new HardwareTool(
            runner, "libvirt-clients", Schedule.ownTimeout(schedule.timeout()), config.paths());
    List<String> argv = new ArrayList<>(List.of("virsh"));
    if (config.uri() != null) {
      argv.addAll(List.of("-c", config.uri()));
    }
    argv.addAll(List.of("domstats", "--raw", "--state", "--cpu-total", "--balloon", "--vcpu"));
    CommandRunner.Output o;
    try {
      o = tool.run(argv);
      if (o.exit() != 0) {
        throw new HardwareTool.Failure(
            "exit " + o.exit() + ": " + HardwareTool.firstLine(o).replaceAll("\\s+", " "));
      }
    } catch (HardwareTool.Failure e) {
      return List.of(
          new CheckResult(
              name(),
              kind(),
              Status.UNKNOWN,
              "LIBVIRT UNKNOWN - " + e.getMessage(),
              context.now(),
              List.of()));
    }
    return List.of(judge(name(), parse(o.stdout()), previous, config, context.now()));
  }

  /** The domains of {@code virsh domstats} output ({@code Domain: 'web'} then indented fields). */
  static List<Domain> parse(String text) {
    List<Domain> out = new ArrayList<>();
    String name = null;
    Map<String, String> stats = null;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("Domain: ")) {
        if (name != null) {
          out.add(new Domain(name, stats));
        }
        name = l.substring("Domain: ".length()).strip();
        if (name.length() >= 2 && name.startsWith("'") && name.endsWith("'")) {
          name = name.substring(1, name.length() - 1);
        }
        stats = new LinkedHashMap<>();
      } else if (name != null && l.indexOf('=') > 0) {
        int eq = l.indexOf('=');
        stats.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    if (name != null) {
      out.add(new Domain(name, stats));
    }
    return out;
  }

  /** {@code virDomainState} as virsh prints it. */
  static String stateName(int state) {
    return switch (state) {
      case 1 -> "running";
      case 2 -> "blocked";
      case 3 -> "paused";
      case 4 -> "shutting down";
      case 5 -> "shut off";
      case 6 -> "crashed";
      case 7 -> "pmsuspended";
      default -> "no state";
    };
  }

  /**
   * The result for this run; {@code previous} holds each domain's last CPU sample and is updated.
   */
  static CheckResult judge(
      String service,
      List<Domain> domains,
      Map<String, Sample> previous,
      LibvirtConfig config,
      long now) {
    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    Map<String, Domain> byName = new LinkedHashMap<>();
    domains.forEach(d -> byName.put(d.name(), d));
    for (String expected : config.expectRunning()) {
      Domain d = byName.get(expected);
      if (d == null) {
        status = status.worse(Status.CRITICAL);
        problems.add(expected + " not defined (expected running)");
        continue;
      }
      int s = d.state();
      if (s == 1 || s == 2) {
        continue;
      }
      Status st = s == 3 || s == 7 ? Status.WARNING : Status.CRITICAL;
      status = status.worse(st);
      problems.add(expected + " " + stateName(s) + " (expected running)");
    }
    int running = 0;
    List<String> usage = new ArrayList<>();
    for (Domain d : domains) {
      Map<String, String> labels = Map.of("domain", d.name());
      metrics.add(Metric.of("libvirt_domain_state", labels, d.state(), null));
      if (d.state() == 1) {
        running++;
      }
      if (d.has("vcpu.current")) {
        metrics.add(Metric.of("libvirt_domain_vcpus", labels, d.number("vcpu.current", 0), null));
      }
      if (d.has("balloon.current")) {
        metrics.add(
            Metric.of(
                "libvirt_domain_balloon_current_bytes",
                labels,
                d.number("balloon.current", 0) * 1024.0,
                "B"));
      }
      if (d.has("balloon.maximum")) {
        metrics.add(
            Metric.of(
                "libvirt_domain_balloon_maximum_bytes",
                labels,
                d.number("balloon.maximum", 0) * 1024.0,
                "B"));
      }
      if (!d.has("cpu.time")) {
        previous.remove(d.name());
        continue;
      }
      long cpu = d.number("cpu.time", 0);
      metrics.add(Metric.of("libvirt_domain_cpu_time_seconds_total", labels, cpu / 1e9, "s"));
      Sample last = previous.put(d.name(), new Sample(cpu, now));
      long vcpus = Math.max(1, d.number("vcpu.current", 1));
      if (last == null || now <= last.atMillis() || cpu < last.cpuNanos()) {
        continue;
      }
      double pct = (cpu - last.cpuNanos()) / ((now - last.atMillis()) * 1e6) / vcpus * 100;
      metrics.add(
          new Metric(
              "libvirt_domain_cpu_usage_percent",
              labels,
              pct,
              "%",
              config.cpuWarning() == null ? null : config.cpuWarning().value(),
              config.cpuCritical() == null ? null : config.cpuCritical().value(),
              0.0,
              100.0));
      String shown = d.name() + " " + Levels.pct1(pct) + " CPU of " + vcpus + " vCPUs";
      if (config.cpuCritical() != null && pct >= config.cpuCritical().value()) {
        status = status.worse(Status.CRITICAL);
        problems.add(shown + " (critical " + Levels.pct(config.cpuCritical().value()) + ")");
      } else if (config.cpuWarning() != null && pct >= config.cpuWarning().value()) {
        status = status.worse(Status.WARNING);
        problems.add(shown + " (warning " + Levels.pct(config.cpuWarning().value()) + ")");
      } else {
        usage.add(shown);
      }
    }
    previous.keySet().retainAll(byName.keySet());
    metrics.add(Metric.of("libvirt_domains_running", Map.of(), running, null));
    StringBuilder text = new StringBuilder();
    if (!problems.isEmpty()) {
      text.append(String.join(", ", problems)).append("; ");
    }
    text.append(domains.size())
        .append(domains.size() == 1 ? " domain, " : " domains, ")
        .append(running)
        .append(" running");
    if (!usage.isEmpty()) {
      text.append("; ").append(String.join(", ", usage));
    }
    return new CheckResult(
        service, "libvirt", status, "LIBVIRT " + status + " - " + text, now, metrics);
  }
}
