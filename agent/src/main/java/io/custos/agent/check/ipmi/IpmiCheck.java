package io.custos.agent.check.ipmi;

import io.custos.agent.check.Celsius;
import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.HardwareTool;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import io.custos.agent.check.ipmi.IpmiSensors.Kind;
import io.custos.agent.check.ipmi.IpmiSensors.Sensor;
import io.custos.agent.check.os.Hwmon;
import io.custos.common.match.Globs;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The BMC's sensors and System Event Log through ipmitool or FreeIPMI, locally or over the network.
 * See {@link IpmiConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: ipmi, interval: 1m }
 * }</pre>
 *
 * <p>Service {@code IPMI} (or {@code name}): temperatures, fans, voltages, currents and power
 * against the BMC's own thresholds (upper non-critical → WARNING, upper critical → CRITICAL, lower
 * likewise), or {@code temperature_warning}/{@code temperature_critical} for temperatures when set;
 * the status the BMC gives a sensor ({@code cr}, FreeIPMI {@code Critical}) counts too; discrete
 * sensors by their asserted states: power supply {@code Failure detected}, {@code Power Supply AC
 * lost}, {@code Redundancy Lost} and {@code General Chassis intrusion} are CRITICAL, {@code
 * Predictive Failure} and degraded redundancy WARNING. A sensor without a reading ({@code ns},
 * {@code No Reading}, {@code Disabled}, N/A) is counted, never an alarm, and so is a reading that
 * cannot be true (3,892,314 °C), which is skipped with the reason as the temperature check does.
 *
 * <p>Service {@code IPMI SEL}: the SEL entries that are new since the last run (see {@link
 * IpmiSel}), WARNING for correctable ECC errors and the like, CRITICAL for uncorrectable ones,
 * power loss and intrusion; an entry is reported in the one run that first sees it.
 *
 * <p>Metrics as prometheus-community/ipmi_exporter names them, labels {@code id} and {@code name}:
 * {@code ipmi_temperature_celsius}, {@code ipmi_fan_speed_rpm}, {@code ipmi_fan_speed_ratio},
 * {@code ipmi_voltage_volts}, {@code ipmi_current_amperes}, {@code ipmi_power_watts}, {@code
 * ipmi_sensor_state} (0 nominal, 1 warning, 2 critical) for discrete sensors, and {@code
 * ipmi_sel_entries_count}.
 *
 * <p>Failure behaviour: a missing tool is UNKNOWN {@code "ipmitool not found (package ipmitool)"};
 * a tool that hangs is killed with its process tree at the timeout (default 30s) and reported
 * UNKNOWN; a tool that fails (no {@code /dev/ipmi0}, wrong password) is UNKNOWN with its first line
 * of error. A failing {@code ipmitool sensor} only costs the thresholds.
 */
public final class IpmiCheck implements Check {
  private final IpmiConfig config;
  private final Schedule schedule;
  private final CommandRunner runner;
  private final IpmiSel sel;

  public IpmiCheck(IpmiConfig config) {
    this(config, CommandRunner.SYSTEM);
  }

  /** With every shared key at the kind's default. */
  public IpmiCheck(IpmiConfig config, CommandRunner runner) {
    this(config, config.defaultSchedule(), runner);
  }

  /**
   * The check for one {@code checks:} entry: its own keys, its shared keys ({@code name}, {@code
   * timeout}), and the runner through which it starts programs.
   */
  public IpmiCheck(IpmiConfig config, Schedule schedule, CommandRunner runner) {
    this.config = config;
    this.schedule = schedule;
    this.runner = runner;
    String who = config.host() == null ? "local" : config.host().replaceAll("[^A-Za-z0-9._-]", "_");
    this.sel = new IpmiSel(config.stateDirectory().resolve("ipmi-sel-" + who + ".state"));
  }

  @Override
  public String kind() {
    return "ipmi";
  }

  @Override
  public String name() {
    if (schedule.name() != null) {
      return schedule.name();
    }
    return config.host() == null ? "IPMI" : "IPMI " + config.host();
  }

  private String selName() {
    return name() + " SEL";
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws Exception {
    boolean freeIpmi = config.tool().equals("freeipmi");
    HardwareTool tool =
        new HardwareTool(
            runner,
            freeIpmi ? "freeipmi-tools" : "ipmitool",
            Schedule.ownTimeout(schedule.timeout()),
            config.paths());
    List<CheckResult> out = new ArrayList<>();
    try {
      List<Sensor> sensors;
      if (freeIpmi) {
        CommandRunner.Output o =
            ok(
                tool.run(
                    command(
                        "ipmi-sensors",
                        "--output-sensor-state",
                        "--output-sensor-thresholds",
                        "--comma-separated-output")));
        sensors = IpmiSensors.parseFreeIpmi(o.stdout());
      } else {
        sensors = IpmiSensors.parseSdr(ok(tool.run(command("ipmitool", "sdr", "elist"))).stdout());
        CommandRunner.Output limits = tool.run(command("ipmitool", "sensor"));
        if (limits.exit() == 0) {
          sensors =
              IpmiSensors.withThresholds(sensors, IpmiSensors.parseIpmitoolSensor(limits.stdout()));
        }
      }
      out.add(judge(name(), sensors, config, context.now()));
    } catch (HardwareTool.Failure e) {
      out.add(unknown(name(), e.getMessage(), context.now()));
      if (config.sel()) {
        out.add(unknown(selName(), e.getMessage(), context.now()));
      }
      return out;
    }
    if (config.sel()) {
      try {
        CommandRunner.Output o =
            ok(
                tool.run(
                    freeIpmi
                        ? command("ipmi-sel", "--output-event-state")
                        : command("ipmitool", "sel", "elist")));
        out.add(selResult(selName(), IpmiSel.parse(o.stdout()), sel, context.now()));
      } catch (HardwareTool.Failure e) {
        out.add(unknown(selName(), e.getMessage(), context.now()));
      }
    }
    return out;
  }

  /** The argument vector: the program, the remote options when {@code host} is set, the rest. */
  List<String> command(String program, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(program);
    if (config.host() != null) {
      if (program.equals("ipmitool")) {
        argv.addAll(
            List.of(
                "-I",
                config.interfaceName() == null ? "lanplus" : config.interfaceName(),
                "-H",
                config.host()));
        if (config.user() != null) {
          argv.addAll(List.of("-U", config.user()));
        }
        argv.addAll(List.of("-f", config.passwordFile().toString()));
      } else {
        argv.addAll(List.of("-h", config.host(), "--driver-type=LAN_2_0"));
        if (config.user() != null) {
          argv.addAll(List.of("-u", config.user()));
        }
        argv.addAll(List.of("--config-file", config.passwordFile().toString()));
      }
    }
    argv.addAll(List.of(args));
    return argv;
  }

  private static CommandRunner.Output ok(CommandRunner.Output o) throws HardwareTool.Failure {
    if (o.exit() != 0 && o.stdout().isBlank()) {
      throw new HardwareTool.Failure(
          "exit " + o.exit() + ": " + HardwareTool.firstLine(o).replaceAll("\\s+", " "));
    }
    return o;
  }

  /** The sensors' result; pure. */
  static CheckResult judge(String service, List<Sensor> sensors, IpmiConfig config, long now) {
    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    int read = 0;
    int noReading = 0;
    for (Sensor s : sensors) {
      if (Globs.any(config.ignore(), s.name())) {
        continue;
      }
      Map<String, String> labels = Map.of("id", s.id(), "name", s.name());
      if (s.kind() == Kind.DISCRETE) {
        Status st = eventStatus(s.event());
        if (s.bmcStatus() != null) {
          st = st.worse(s.bmcStatus());
        } else if (s.event().isEmpty()) {
          noReading++;
          continue;
        }
        read++;
        metrics.add(Metric.of(Kind.DISCRETE.metric, labels, severity(st), null));
        if (st != Status.OK) {
          status = status.worse(st);
          problems.add(s.name() + ": " + (s.event().isEmpty() ? "BMC says " + st : s.event()));
        }
        continue;
      }
      if (s.value() == null) {
        noReading++;
        continue;
      }
      String implausible = implausible(s);
      if (implausible != null) {
        skipped.add(s.name() + " " + show(s) + " (" + implausible + ")");
        continue;
      }
      read++;
      boolean configured =
          s.kind() == Kind.TEMPERATURE
              && (config.temperatureWarning() != null || config.temperatureCritical() != null);
      Double warn = s.limits().unc();
      Double crit = s.limits().ucr();
      if (s.kind() == Kind.TEMPERATURE) {
        if (config.temperatureWarning() != null) {
          warn = config.temperatureWarning().value();
        }
        if (config.temperatureCritical() != null) {
          crit = config.temperatureCritical().value();
        }
      }
      double v = s.value();
      Status st = Status.OK;
      String why = null;
      if (crit != null && v >= crit) {
        st = Status.CRITICAL;
        why = "critical " + number(crit, s);
      } else if (s.limits().lcr() != null && v < s.limits().lcr()) {
        st = Status.CRITICAL;
        why = "critical below " + number(s.limits().lcr(), s);
      } else if (warn != null && v >= warn) {
        st = Status.WARNING;
        why = "warning " + number(warn, s);
      } else if (s.limits().lnc() != null && v < s.limits().lnc()) {
        st = Status.WARNING;
        why = "warning below " + number(s.limits().lnc(), s);
      }
      if (!configured && s.bmcStatus() != null && s.bmcStatus().compareTo(st) > 0) {
        st = s.bmcStatus();
        why = "BMC says " + st;
      }
      if (st != Status.OK) {
        status = status.worse(st);
        problems.add(s.name() + " " + show(s) + " (" + why + ")");
      }
      boolean ratio = s.kind() == Kind.FAN_PERCENT;
      metrics.add(
          new Metric(
              s.kind().metric,
              labels,
              ratio ? v / 100 : v,
              s.kind().unit,
              ratio ? null : warn,
              ratio ? null : crit,
              null,
              null));
    }
    String prefix = "IPMI " + status + " - ";
    String counts =
        read
            + " sensors"
            + (noReading > 0 ? ", " + noReading + " without reading" : "")
            + (skipped.isEmpty() ? "" : "; skipped: " + String.join(", ", skipped));
    if (read == 0 && skipped.isEmpty()) {
      return new CheckResult(
          service,
          "ipmi",
          Status.UNKNOWN,
          "IPMI UNKNOWN - the BMC reported no sensor with a reading ("
              + sensors.size()
              + " listed)",
          now,
          metrics);
    }
    String text = problems.isEmpty() ? counts : String.join(", ", problems) + "; " + counts;
    return new CheckResult(service, "ipmi", status, prefix + text, now, metrics);
  }

  /**
   * The status of a discrete sensor's asserted states (IPMI 2.0 table 42-3 wording as ipmitool and
   * FreeIPMI print it); pure.
   */
  static Status eventStatus(String event) {
    String e = event.toLowerCase(Locale.ROOT);
    if (e.isEmpty()) {
      return Status.OK;
    }
    if (e.contains("failure detected")
        || e.contains("ac lost")
        || e.contains("input lost")
        || e.contains("redundancy lost")
        || e.contains("insufficient resources")
        || e.contains("chassis intrusion")
        || e.contains("uncorrectable")
        || e.contains("configuration error")) {
      return Status.CRITICAL;
    }
    if (e.contains("predictive failure")
        || e.contains("redundancy degraded")
        || e.contains("non-redundant")
        || e.contains("correctable ecc")
        || e.contains("logging limit")) {
      return Status.WARNING;
    }
    return Status.OK;
  }

  /** The SEL service's result for the current listing, remembering it in {@code memory}. */
  static CheckResult selResult(String service, List<IpmiSel.Entry> now, IpmiSel memory, long at) {
    boolean baseline = memory.firstRun();
    List<IpmiSel.Entry> fresh = memory.newSince(now);
    Status status = Status.OK;
    for (IpmiSel.Entry e : fresh) {
      status = status.worse(e.severity());
    }
    String text;
    if (baseline) {
      text = now.size() + " entries in the SEL; new entries are reported from now on";
    } else if (fresh.isEmpty()) {
      text = "no new entries (" + now.size() + " in the SEL)";
    } else {
      List<String> shown = fresh.stream().limit(5).map(IpmiSel.Entry::show).toList();
      text =
          fresh.size()
              + (fresh.size() == 1 ? " new entry: " : " new entries: ")
              + String.join("; ", shown)
              + (fresh.size() > 5 ? "; and " + (fresh.size() - 5) + " more" : "");
    }
    String note = memory.saveProblem();
    String longOutput =
        fresh.isEmpty()
            ? note
            : String.join("\n", fresh.stream().map(IpmiSel.Entry::show).toList())
                + (note == null ? "" : "\n" + note);
    return new CheckResult(
        service,
        "ipmi",
        status,
        "IPMI SEL " + status + " - " + text,
        longOutput,
        at,
        List.of(
            Metric.of("ipmi_sel_entries_count", Map.of(), now.size(), null),
            Metric.of("ipmi_sel_new_entries", Map.of(), fresh.size(), null)));
  }

  private static String implausible(Sensor s) {
    String kind =
        switch (s.kind()) {
          case TEMPERATURE -> "temp";
          case FAN -> "fan";
          case POWER -> "power";
          default -> null;
        };
    if (kind == null) {
      return null;
    }
    return new Hwmon.Sensor(kind, s.id(), s.name(), s.value(), null, null, null).implausible();
  }

  private static String show(Sensor s) {
    return number(s.value(), s);
  }

  private static String number(double v, Sensor s) {
    return switch (s.kind()) {
      case TEMPERATURE -> Celsius.text(v);
      case FAN -> Levels.number(v) + " RPM";
      case FAN_PERCENT -> Levels.number(v) + "%";
      case VOLTAGE -> Levels.number(v) + "V";
      case CURRENT -> Levels.number(v) + "A";
      case POWER -> Levels.number(v) + "W";
      case DISCRETE -> Levels.number(v);
    };
  }

  private static double severity(Status s) {
    return switch (s) {
      case OK -> 0;
      case WARNING -> 1;
      default -> 2;
    };
  }

  private static CheckResult unknown(String service, String why, long now) {
    return new CheckResult(
        service, "ipmi", Status.UNKNOWN, "IPMI UNKNOWN - " + why, now, List.of());
  }
}
