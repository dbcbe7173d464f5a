package io.custos.agent.check;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Linux md software RAID from {@code <root>/proc/mdstat}. See {@link RaidConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: raid }
 * }</pre>
 *
 * <p>One service, {@code RAID}, the worst over all arrays: CRITICAL for a degraded array not
 * rebuilding (naming the failed member, {@code md0 degraded: sdb1 failed (1 of 2 members)}), an
 * inactive array, or a configured array that is missing; WARNING while an array rebuilds onto a
 * spare ({@code recovery}) or resyncs, with progress and the kernel's time estimate; a {@code
 * check}/{@code repair} scrub is OK with its progress. Metrics per array ({@code array} label):
 * {@code md_disks}, {@code md_disks_active}, {@code md_degraded} (0/1) and {@code md_sync_percent}
 * while syncing. No {@code /proc/mdstat} (md not loaded) or no arrays is OK "no md arrays".
 *
 * <p>Failure behaviour: unreadable {@code mdstat} throws, and so becomes UNKNOWN.
 */
final class RaidCheck implements Check {
  private static final Pattern HEAD =
      Pattern.compile(
          "^(md\\S*)\\s*:\\s*(active|inactive)(?:\\s+\\((?:auto-)?read-only\\))?\\s*(.*)$");
  private static final Pattern MEMBER = Pattern.compile("(\\S+)\\[(\\d+)\\]((?:\\([A-Z]\\))*)");
  private static final Pattern DISKS = Pattern.compile("\\[(\\d+)/(\\d+)\\]\\s+\\[([U_]+)\\]");
  private static final Pattern SYNC =
      Pattern.compile("(resync|recovery|reshape|check|repair)\\s*=\\s*([\\d.]+)%");
  private static final Pattern FINISH = Pattern.compile("finish=(\\S+)");
  private static final Pattern DELAYED =
      Pattern.compile("(resync|recovery)\\s*=\\s*(DELAYED|PENDING)");

  private final RaidConfig config;

  RaidCheck(RaidConfig config) {
    this.config = config;
  }

  @Override
  public String kind() {
    return "raid";
  }

  @Override
  public String name() {
    return "RAID";
  }

  /**
   * One md array as {@code /proc/mdstat} shows it.
   *
   * @param name {@code md0}
   * @param active false for an inactive (not started) array
   * @param level {@code raid1}, or null when inactive
   * @param members device names in slot order as listed
   * @param failed members marked {@code (F)}
   * @param spares members marked {@code (S)}
   * @param disks the array's configured member count, or -1 when not shown
   * @param up members in use
   * @param slots the {@code [UU_]} map, or empty
   * @param sync the running sync action, or null
   * @param syncPercent its progress
   * @param finish the kernel's estimate, e.g. {@code 70.3min}, or null
   */
  record Array(
      String name,
      boolean active,
      String level,
      List<String> members,
      List<String> failed,
      List<String> spares,
      int disks,
      int up,
      String slots,
      String sync,
      double syncPercent,
      String finish) {
    boolean degraded() {
      return active && disks > 0 && up < disks;
    }
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(context.resolve("proc/mdstat"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      lines = List.of();
    }
    return List.of(result(parseMdstat(lines), config, context.now()));
  }

  /** The arrays in {@code /proc/mdstat} text; lines it does not know are skipped. */
  static List<Array> parseMdstat(List<String> lines) {
    List<Array> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher h = HEAD.matcher(lines.get(i));
      if (!h.matches()) {
        continue;
      }
      boolean active = h.group(2).equals("active");
      String[] words = h.group(3).strip().split("\\s+");
      String level = null;
      List<String> members = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      List<String> spares = new ArrayList<>();
      for (String w : words) {
        Matcher m = MEMBER.matcher(w);
        if (m.matches()) {
          members.add(m.group(1));
          if (m.group(3).contains("(F)")) {
            failed.add(m.group(1));
          } else if (m.group(3).contains("(S)")) {
            spares.add(m.group(1));
          }
        } else if (!w.isEmpty() && level == null) {
          level = w;
        }
      }
      int disks = -1;
      int up = -1;
      String slots = "";
      String sync = null;
      double pct = 0;
      String finish = null;
      // The array's detail lines follow until a blank line or the next array.
      for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
        String l = lines.get(j);
        if (HEAD.matcher(l).matches()) {
          break;
        }
        Matcher d = DISKS.matcher(l);
        if (d.find()) {
          disks = Integer.parseInt(d.group(1));
          up = Integer.parseInt(d.group(2));
          slots = d.group(3);
        }
        Matcher s = SYNC.matcher(l);
        if (s.find()) {
          sync = s.group(1);
          pct = Double.parseDouble(s.group(2));
          Matcher f = FINISH.matcher(l);
          finish = f.find() ? f.group(1) : null;
        } else {
          Matcher dl = DELAYED.matcher(l);
          if (dl.find()) {
            sync = dl.group(1);
            finish = dl.group(2).toLowerCase(java.util.Locale.ROOT);
          }
        }
      }
      out.add(
          new Array(
              h.group(1),
              active,
              level,
              members,
              failed,
              spares,
              disks,
              up,
              slots,
              sync,
              pct,
              finish));
    }
    return out;
  }

  /** The {@code RAID} result for parsed arrays; pure. */
  static CheckResult result(List<Array> arrays, RaidConfig config, long now) {
    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    for (String wanted : config.arrays()) {
      if (arrays.stream().noneMatch(a -> a.name().equals(wanted))) {
        status = status.worse(Status.CRITICAL);
        problems.add(wanted + " missing");
      }
    }
    for (Array a : arrays) {
      if (!config.arrays().isEmpty() && !config.arrays().contains(a.name())) {
        continue;
      }
      Map<String, String> label = Map.of("array", a.name());
      if (!a.active()) {
        status = status.worse(Status.CRITICAL);
        problems.add(
            a.name()
                + " inactive ("
                + a.members().size()
                + " members: "
                + String.join(", ", a.members())
                + ")");
        metrics.add(Metric.of("md_active", label, 0, null));
        continue;
      }
      metrics.add(Metric.of("md_active", label, 1, null));
      if (a.disks() > 0) {
        metrics.add(Metric.of("md_disks", label, a.disks(), null));
        metrics.add(Metric.of("md_disks_active", label, a.up(), null));
        metrics.add(Metric.of("md_degraded", label, a.degraded() ? 1 : 0, null));
      }
      boolean waiting = a.finish() != null && a.finish().matches("delayed|pending");
      if (a.sync() != null && !waiting) {
        metrics.add(
            new Metric("md_sync_percent", label, a.syncPercent(), "%", null, null, 0.0, 100.0));
      }
      String syncText = "";
      if (a.sync() != null) {
        syncText =
            " "
                + a.sync()
                + " "
                + (waiting ? a.finish() : Levels.pct1(a.syncPercent()))
                + (a.finish() != null && !waiting ? " (finish in " + a.finish() + ")" : "");
      }
      if (a.degraded()) {
        String who =
            a.failed().isEmpty() ? missingSlots(a) : String.join(", ", a.failed()) + " failed";
        String text =
            a.name() + " degraded: " + who + " (" + a.up() + " of " + a.disks() + " members)";
        if ("recovery".equals(a.sync())) {
          status = status.worse(Status.WARNING);
          problems.add(text + "," + syncText.replaceFirst("^ recovery", " rebuilding"));
        } else {
          status = status.worse(Status.CRITICAL);
          problems.add(text);
        }
      } else if (a.sync() != null && !a.sync().equals("check") && !a.sync().equals("repair")) {
        status = status.worse(Status.WARNING);
        problems.add(a.name() + syncText);
      } else {
        fine.add(a.name() + " " + a.level() + " [" + a.slots() + "]" + syncText);
      }
    }
    String body;
    if (problems.isEmpty() && fine.isEmpty()) {
      body = "no md arrays";
    } else if (problems.isEmpty()) {
      body = String.join(", ", fine);
    } else {
      body =
          String.join("; ", problems) + (fine.isEmpty() ? "" : "; ok: " + String.join(", ", fine));
    }
    return new CheckResult("RAID", "raid", status, "RAID " + status + " - " + body, now, metrics);
  }

  private static String missingSlots(Array a) {
    List<String> slots = new ArrayList<>();
    for (int i = 0; i < a.slots().length(); i++) {
      if (a.slots().charAt(i) == '_') {
        slots.add(String.valueOf(i));
      }
    }
    return "member slot " + String.join(", ", slots) + " missing";
  }
}
