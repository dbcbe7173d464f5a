package io.custos.agent.check.ipmi;

import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The BMC's System Event Log: parsing {@code ipmitool sel elist} / {@code ipmi-sel} (pure) and
 * telling which entries are new since the last run.
 *
 * <p>Formats: ipmitool prints {@code 3a | 12/14/22 | 23:09:44 CET | Memory #0x88 | Correctable ECC
 * (CPU0_G1) | Asserted} (record id in hex); FreeIPMI's {@code ipmi-sel} prints a header {@code ID |
 * Date | Time | Name | Type | Event} and decimal ids, or the same with commas, and with options
 * more columns ({@code --output-event-state} adds {@code State}: Nominal, Warning, Critical).
 * FreeIPMI's columns are read by their header's names, never by position; without a header the
 * default columns are assumed, with a {@code State} column when the sixth field is a state word.
 *
 * <p>New entries are those not seen in the previous run's listing, compared by id, date, time,
 * sensor and event together. A SEL that was cleared or rolled over therefore never replays the old
 * entries (they are either gone or still known), and a record id reused after a clear is still seen
 * as new because its time differs. The first run ever records a baseline and reports nothing as
 * new. What was seen is kept in a file (one entry key per line) so a restart does not replay the
 * log; when that file cannot be written the memory of this process is used and the result says so.
 */
final class IpmiSel {
  /**
   * One SEL record.
   *
   * @param id record id as printed ({@code 3a}, {@code 17})
   * @param date date as printed
   * @param time time as printed
   * @param sensor sensor type and name ({@code Memory #0x88})
   * @param event what happened ({@code Correctable ECC (CPU0_G1)})
   * @param direction {@code Asserted}, {@code Deasserted} or empty
   * @param state FreeIPMI's interpretation of the event ({@code Nominal}, {@code Warning}, {@code
   *     Critical}), or empty; not part of the entry's identity
   */
  record Entry(
      String id,
      String date,
      String time,
      String sensor,
      String event,
      String direction,
      String state) {
    Entry(String id, String date, String time, String sensor, String event, String direction) {
      this(id, date, time, sensor, event, direction, "");
    }

    String key() {
      return String.join("\u001f", id, date, time, sensor, event, direction);
    }

    /** How bad this entry is when it is new: see {@link IpmiSel#severity(Entry)}. */
    Status severity() {
      return IpmiSel.severity(this);
    }

    /** {@code #3a 12/14/22 23:09:44 CET Memory #0x88: Correctable ECC (CPU0_G1) Asserted}. */
    String show() {
      return ("#"
              + id
              + " "
              + date
              + " "
              + time
              + " "
              + sensor
              + ": "
              + event
              + (direction.isEmpty() ? "" : " " + direction))
          .strip();
    }
  }

  private final Path file;
  private Set<String> seen;
  private boolean loaded;
  private String saveProblem;

  /**
   * @param file where the keys of the last listing are kept, or null to keep them in memory only
   */
  IpmiSel(Path file) {
    this.file = file;
  }

  /** FreeIPMI's default columns, for a listing printed with {@code --no-header-output}. */
  private static final List<String> FREEIPMI_DEFAULT =
      List.of("id", "date", "time", "name", "type", "event");

  private static final List<String> FREEIPMI_WITH_STATE =
      List.of("id", "date", "time", "name", "type", "state", "event");

  /** Parses either tool's listing; lines that are not entries are skipped. */
  static List<Entry> parse(String text) {
    List<Entry> out = new ArrayList<>();
    List<String> columns = null;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String sep = line.contains("|") ? "\\|" : ",";
      String[] f = line.split(sep, -1);
      for (int i = 0; i < f.length; i++) {
        f[i] = f[i].strip();
      }
      if (f[0].equalsIgnoreCase("ID")) {
        columns = new ArrayList<>();
        for (String h : f) {
          columns.add(h.toLowerCase(Locale.ROOT));
        }
        continue;
      }
      if (f.length < 5 || f[0].isEmpty()) {
        continue;
      }
      List<String> cols = columns;
      if (cols == null && f.length >= 6 && decimal(f)) {
        // FreeIPMI without a header: its default columns, or with State when field 6 is one
        cols = f.length >= 7 && isState(f[5]) ? FREEIPMI_WITH_STATE : FREEIPMI_DEFAULT;
      }
      out.add(cols == null ? ipmitool(f) : freeIpmi(cols, f));
    }
    return out;
  }

  // ipmitool: id | date | time | sensor | event | direction
  private static Entry ipmitool(String[] f) {
    return new Entry(f[0], f[1], f[2], f[3], f[4], f.length > 5 ? f[5] : "");
  }

  private static Entry freeIpmi(List<String> cols, String[] f) {
    String name = column(cols, f, "name");
    String type = column(cols, f, "type");
    String direction = column(cols, f, "event direction");
    String event = column(cols, f, "event");
    String detail = column(cols, f, "event detail");
    return new Entry(
        column(cols, f, "id"),
        column(cols, f, "date"),
        column(cols, f, "time"),
        (type + " " + name).strip(),
        detail.isEmpty() || detail.equalsIgnoreCase("N/A") ? event : event + " ; " + detail,
        direction.equalsIgnoreCase("Assertion Event")
            ? "Asserted"
            : direction.equalsIgnoreCase("Deassertion Event") ? "Deasserted" : direction,
        column(cols, f, "state"));
  }

  private static String column(List<String> cols, String[] f, String name) {
    int i = cols.indexOf(name);
    return i >= 0 && i < f.length ? f[i] : "";
  }

  /** ipmitool's ids are hex ({@code 3a}); a header-less FreeIPMI listing has a date in field 2. */
  private static boolean decimal(String[] f) {
    return f[0].matches("\\d+") && f[1].matches("[A-Za-z]{3}-\\d{2}-\\d{4}|PostInit|N/A");
  }

  private static boolean isState(String s) {
    return List.of("nominal", "warning", "critical", "n/a").contains(s.toLowerCase(Locale.ROOT));
  }

  /**
   * How bad a new entry is: CRITICAL for uncorrectable memory errors, non-recoverable and critical
   * threshold crossings, power supply failure or input loss, lost redundancy, chassis intrusion,
   * machine checks and thermal trips; WARNING for correctable ECC, non-critical crossings,
   * predictive failures and degraded redundancy; OK (informational) for the rest and for every
   * {@code Deasserted} entry, which records a problem going away. FreeIPMI's own {@code State}
   * (Critical, Warning) counts first: the worse of it and the text wins.
   */
  static Status severity(Entry e) {
    if (e.direction().equalsIgnoreCase("Deasserted")) {
      return Status.OK;
    }
    Status state =
        switch (e.state().toLowerCase(Locale.ROOT)) {
          case "critical" -> Status.CRITICAL;
          case "warning" -> Status.WARNING;
          default -> Status.OK;
        };
    return state.worse(byText(e));
  }

  private static Status byText(Entry e) {
    String t = (e.sensor() + " " + e.event()).toLowerCase(Locale.ROOT);
    if (t.contains("uncorrectable")
        || t.contains("non-recoverable")
        || t.contains("machine check")
        || t.contains("thermal trip")
        || t.contains("failure detected")
        || t.contains("ac lost")
        || t.contains("input lost")
        || t.contains("redundancy lost")
        || t.contains("insufficient resources")
        || t.contains("chassis intrusion")) {
      return Status.CRITICAL;
    }
    if (t.contains("correctable ecc")
        || t.contains("non-critical")
        || t.contains("predictive")
        || t.contains("redundancy degraded")
        || t.contains("logging limit")) {
      return Status.WARNING;
    }
    if (t.contains("critical going")) {
      return Status.CRITICAL;
    }
    return Status.OK;
  }

  /**
   * The entries of {@code now} not in the previous listing; empty on the first run (baseline).
   * Remembers {@code now} for the next call.
   */
  List<Entry> newSince(List<Entry> now) {
    load();
    Set<String> keys = new LinkedHashSet<>();
    now.forEach(e -> keys.add(e.key()));
    List<Entry> fresh = new ArrayList<>();
    if (seen != null) {
      for (Entry e : now) {
        if (!seen.contains(e.key())) {
          fresh.add(e);
        }
      }
    }
    seen = keys;
    save();
    return fresh;
  }

  /** True until the first listing was remembered (no file, first run). */
  boolean firstRun() {
    load();
    return seen == null;
  }

  /** Why the state file could not be written, or null. */
  String saveProblem() {
    return saveProblem;
  }

  private void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    if (file == null || !Files.isRegularFile(file)) {
      return;
    }
    try {
      seen = new LinkedHashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      saveProblem = "cannot read " + file + ": " + e.getMessage();
    }
  }

  private void save() {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, seen, StandardCharsets.UTF_8);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      saveProblem = null;
    } catch (IOException e) {
      saveProblem = "SEL state not saved to " + file + ": " + e;
    }
  }
}
