package io.custos.agent.check.raid;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Levels;
import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Linux md software RAID from {@code <root>/proc/mdstat} and {@code <root>/sys/block/<md>/md/}. See
 * {@link RaidConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: raid }
 * }</pre>
 *
 * <p>One service, {@code RAID}, the worst over all arrays: CRITICAL for a degraded array not
 * rebuilding (naming the failed member, {@code md0 degraded: sdb1 failed (1 of 2 members)}), an
 * inactive array, an array whose sysfs {@code array_state} is {@code broken}, or a configured array
 * that is missing; WARNING while an array rebuilds onto a member ({@code md2 degraded: sdh1
 * rebuilding 4.1% (finish in 101.2min)}; a member being, or queued to be, rebuilt is never called
 * missing) or resyncs, with progress and the kernel's time estimate; a {@code check}/{@code repair}
 * scrub is OK with its progress, and so is one the kernel delays behind another array's scrub.
 *
 * <p>Intel IMSM and SNIA DDF metadata <em>containers</em> ({@code md127 : inactive sdb[1](S)
 * sdc[0](S)}, {@code super external:imsm}) are inactive by design; they are listed, not judged, and
 * the volumes inside them ({@code super external:/md127/0}) are judged as arrays.
 *
 * <p>Where sysfs is readable it wins over the text of {@code /proc/mdstat}: {@code sync_action}
 * names the running action ({@code resync=DELAYED} with {@code sync_action} {@code check} is a
 * delayed scrub), {@code degraded} counts missing members, {@code mismatch_cnt} is reported after a
 * scrub as {@code md_mismatch_sectors} and in the text (it does not change the status: on RAID1/10
 * with swap it is often non-zero and harmless, see md(4)).
 *
 * <p>Metrics per array ({@code array} label): {@code md_active} (0/1), {@code md_disks}, {@code
 * md_disks_active}, {@code md_degraded} (0/1), {@code md_sync_percent} while syncing, {@code
 * md_mismatch_sectors} when sysfs has it. No {@code /proc/mdstat} (md not loaded) or no arrays is
 * OK "no md arrays".
 *
 * <p>Failure behaviour: unreadable {@code mdstat} throws, and so becomes UNKNOWN; unreadable sysfs
 * files are ignored (mdstat alone is judged).
 */
public final class RaidCheck implements Check {
  private static final Pattern HEAD =
      Pattern.compile(
          "^(md\\S*)\\s*:\\s*(active|inactive)(?:\\s+\\((?:auto-)?read-only\\))?\\s*(.*)$");
  private static final Pattern MEMBER = Pattern.compile("(\\S+)\\[(\\d+)\\]((?:\\([A-Z]\\))*)");
  private static final Pattern DISKS = Pattern.compile("\\[(\\d+)/(\\d+)\\]\\s+\\[([U_]+)\\]");
  private static final Pattern SUPER = Pattern.compile("\\bsuper\\s+(\\S+)");
  private static final Pattern SYNC =
      Pattern.compile("(resync|recovery|reshape|check|repair)\\s*=\\s*([\\d.]+)%");
  private static final Pattern FINISH = Pattern.compile("finish=(\\S+)");
  private static final Pattern DELAYED =
      Pattern.compile("(resync|recovery|reshape|check|repair)\\s*=\\s*(DELAYED|PENDING)");

  private final RaidConfig config;

  public RaidCheck(RaidConfig config) {
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
   * What {@code /sys/block/<md>/md/} says of an array; each field null when the file is missing.
   *
   * @param syncAction {@code idle}, {@code resync}, {@code recover}, {@code check}, {@code repair},
   *     {@code reshape}, {@code frozen}
   * @param syncCompleted {@code none}, {@code delayed}, {@code pending} or {@code 123/456}
   * @param arrayState {@code clean}, {@code active}, {@code inactive}, {@code broken}, ...
   * @param degraded number of missing members
   * @param mismatchCnt sectors that differed in the last check or repair
   */
  record Sysfs(
      String syncAction, String syncCompleted, String arrayState, Long degraded, Long mismatchCnt) {
    static final Sysfs NONE = new Sysfs(null, null, null, null, null);

    /** Reads the array's md directory, e.g. {@code <root>/sys/block/md0/md}. */
    static Sysfs read(Path md) {
      if (!Files.isDirectory(md)) {
        return NONE;
      }
      return new Sysfs(
          SysText.read(md.resolve("sync_action")),
          SysText.read(md.resolve("sync_completed")),
          SysText.read(md.resolve("array_state")),
          SysText.readLong(md.resolve("degraded")),
          SysText.readLong(md.resolve("mismatch_cnt")));
    }
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
   * @param replacements members marked {@code (R)}: being rebuilt to replace a member ({@code mdadm
   *     --replace}) while the array stays whole
   * @param disks the array's configured member count, or -1 when not shown
   * @param up members in use
   * @param slots the {@code [UU_]} map, or empty
   * @param sync the running sync action, or null
   * @param syncPercent its progress
   * @param finish the kernel's estimate, e.g. {@code 70.3min}, or {@code delayed}/{@code pending}
   *     for an action queued behind another array's, or null
   * @param metadata the {@code super} word: {@code 1.2}, {@code external:imsm}, {@code
   *     external:/md127/0}, or null
   * @param roles each member's role number ({@code sdb1[2]} is 2); a role at or above {@code disks}
   *     is a member being rebuilt or a spare
   * @param sysfs what sysfs says, {@link Sysfs#NONE} when not read
   */
  record Array(
      String name,
      boolean active,
      String level,
      List<String> members,
      List<String> failed,
      List<String> spares,
      List<String> replacements,
      int disks,
      int up,
      String slots,
      String sync,
      double syncPercent,
      String finish,
      String metadata,
      Map<String, Integer> roles,
      Sysfs sysfs) {
    boolean degraded() {
      if (!active) {
        return false;
      }
      if (sysfs.degraded() != null) {
        return sysfs.degraded() > 0;
      }
      return disks > 0 && up < disks;
    }

    /** An IMSM or DDF metadata container: inactive by design, holds the real volumes. */
    boolean container() {
      return metadata != null
          && metadata.startsWith("external:")
          && !metadata.startsWith("external:/")
          && !metadata.startsWith("external:-");
    }

    /** True when the sync action is queued behind another array's ({@code DELAYED}). */
    boolean waiting() {
      return finish != null && (finish.equals("delayed") || finish.equals("pending"));
    }

    /**
     * Members that are being, or are queued to be, rebuilt into the array: not failed, and a spare,
     * or with a role at or above the member count, or with the role of an empty slot.
     */
    List<String> rebuilding() {
      if (!degraded() || !"recovery".equals(sync)) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (String m : members) {
        Integer role = roles.get(m);
        boolean beyond = disks > 0 && role != null && role >= disks;
        // a member re-added with its old role (mdadm --re-add, a bitmap recovery) keeps a role
        // below the count, and its slot in [U_] is the one not yet in sync
        boolean emptySlot =
            role != null && role < slots.length() && slots.charAt(role) == '_' && !beyond;
        if (!failed.contains(m) && (beyond || emptySlot || spares.contains(m))) {
          out.add(m);
        }
      }
      return out;
    }

    Array withSysfs(Sysfs s) {
      String action = sync;
      String fin = finish;
      double pct = syncPercent;
      if (s.syncAction() != null) {
        String a = s.syncAction().equals("recover") ? "recovery" : s.syncAction();
        if (a.equals("idle") || a.equals("frozen")) {
          // mdstat may still show a finished action for a moment; sysfs is the truth.
          action = null;
          fin = null;
          pct = 0;
        } else {
          action = a;
          if (s.syncCompleted() != null
              && (s.syncCompleted().equals("delayed") || s.syncCompleted().equals("pending"))) {
            fin = s.syncCompleted();
          }
        }
      }
      return new Array(
          name,
          active,
          level,
          members,
          failed,
          spares,
          replacements,
          disks,
          up,
          slots,
          action,
          pct,
          fin,
          metadata,
          roles,
          s);
    }
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    Path mdstat = context.resolve("proc/mdstat");
    List<String> lines;
    try {
      lines = SysText.lines(mdstat);
    } catch (NoSuchFileException e) {
      lines = List.of();
    }
    List<Array> arrays = new ArrayList<>();
    for (Array a : parseMdstat(lines)) {
      arrays.add(a.withSysfs(Sysfs.read(context.resolve("sys/block/" + a.name() + "/md"))));
    }
    return List.of(result(arrays, config, context.now()));
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
      List<String> replacements = new ArrayList<>();
      Map<String, Integer> roles = new LinkedHashMap<>();
      for (String w : words) {
        Matcher m = MEMBER.matcher(w);
        if (m.matches()) {
          members.add(m.group(1));
          roles.put(m.group(1), Integer.parseInt(m.group(2)));
          if (m.group(3).contains("(F)")) {
            failed.add(m.group(1));
          } else if (m.group(3).contains("(S)")) {
            spares.add(m.group(1));
          } else if (m.group(3).contains("(R)")) {
            replacements.add(m.group(1));
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
      String metadata = null;
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
        Matcher sup = SUPER.matcher(l);
        if (metadata == null && sup.find()) {
          metadata = sup.group(1);
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
              replacements,
              disks,
              up,
              slots,
              sync,
              pct,
              finish,
              metadata,
              roles,
              Sysfs.NONE));
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
      if (a.container()) {
        fine.add(
            a.name()
                + " "
                + a.metadata().substring("external:".length())
                + " container ("
                + a.members().size()
                + " members)");
        continue;
      }
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
      }
      if (a.disks() > 0 || a.sysfs().degraded() != null) {
        metrics.add(Metric.of("md_degraded", label, a.degraded() ? 1 : 0, null));
      }
      if (a.sync() != null && !a.waiting()) {
        metrics.add(
            new Metric("md_sync_percent", label, a.syncPercent(), "%", null, null, 0.0, 100.0));
      }
      String mismatch = "";
      if (a.sysfs().mismatchCnt() != null) {
        metrics.add(Metric.of("md_mismatch_sectors", label, a.sysfs().mismatchCnt(), null));
        if (a.sysfs().mismatchCnt() > 0 && a.sync() == null) {
          mismatch = ", mismatch_cnt " + a.sysfs().mismatchCnt() + " after the last check";
        }
      }
      String syncText = "";
      if (a.sync() != null) {
        syncText =
            " "
                + a.sync()
                + " "
                + (a.waiting() ? a.finish() : Levels.pct1(a.syncPercent()))
                + (a.finish() != null && !a.waiting() ? " (finish in " + a.finish() + ")" : "");
      }
      if ("broken".equals(a.sysfs().arrayState())) {
        status = status.worse(Status.CRITICAL);
        problems.add(a.name() + " broken (array_state), a member is missing");
      } else if (a.degraded()) {
        List<String> rebuilding = a.rebuilding();
        String who;
        if (!a.failed().isEmpty()) {
          who = String.join(", ", a.failed()) + " failed";
        } else if (!rebuilding.isEmpty()) {
          who = String.join(", ", rebuilding) + " rebuilding";
        } else {
          who = missingSlots(a);
        }
        String count = a.disks() > 0 ? " (" + a.up() + " of " + a.disks() + " members)" : "";
        String text = a.name() + " degraded: " + who + count;
        if ("recovery".equals(a.sync())) {
          status = status.worse(Status.WARNING);
          String progress = syncText.replaceFirst("^ recovery ", " ");
          problems.add(
              rebuilding.isEmpty() || !a.failed().isEmpty()
                  ? text + ", rebuilding" + progress
                  : a.name() + " degraded: " + who + progress + count);
        } else {
          status = status.worse(Status.CRITICAL);
          problems.add(text);
        }
      } else if (a.sync() != null
          && !a.sync().equals("check")
          && !a.sync().equals("repair")
          && !a.sync().equals("idle")) {
        status = status.worse(Status.WARNING);
        problems.add(
            "recovery".equals(a.sync()) && !a.replacements().isEmpty()
                ? a.name()
                    + ": "
                    + String.join(", ", a.replacements())
                    + " rebuilding as a replacement"
                    + syncText.replaceFirst("^ recovery ", " ")
                : a.name() + syncText);
      } else {
        fine.add(a.name() + " " + a.level() + slots(a) + syncText + mismatch);
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

  private static String slots(Array a) {
    return a.slots().isEmpty() ? "" : " [" + a.slots() + "]";
  }

  private static String missingSlots(Array a) {
    List<String> slots = new ArrayList<>();
    for (int i = 0; i < a.slots().length(); i++) {
      if (a.slots().charAt(i) == '_') {
        slots.add(String.valueOf(i));
      }
    }
    if (slots.isEmpty()) {
      return "member missing";
    }
    return "member slot " + String.join(", ", slots) + " missing";
  }
}
