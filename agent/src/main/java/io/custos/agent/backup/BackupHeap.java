package io.custos.agent.backup;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes the Java heap of a backup from its compression's needs, so that no level runs out of memory
 * ({@code xz} level 9 alone needs 674 MiB in a few large arrays, which the default 1 GiB backup
 * heap cannot hold).
 *
 * <p>The launcher script gives {@code backup} commands {@code -Xmx$CUSTOS_BACKUP_HEAP} (default
 * {@code 1g}) and the Serial collector, whose old generation is two thirds of the heap; an
 * encoder's large arrays are allocated there. So a run needs its base heap (the file metadata of
 * the set, what {@code CUSTOS_BACKUP_HEAP} is sized for) plus 3/2 of the encoder's heap. {@link
 * ChildProcessBackupLauncher} starts scheduled runs with that much; {@link BackupRunner} refuses a
 * run that cannot fit in its JVM before it starts, naming the setting and the heap to give it.
 * Sizes are bytes; {@code CUSTOS_BACKUP_HEAP} values are as {@code -Xmx} takes them ({@code 1g},
 * {@code 1536m}, {@code 2097152k}, bytes).
 */
public final class BackupHeap {
  /** The environment variable the launcher script reads. */
  public static final String ENV = "CUSTOS_BACKUP_HEAP";

  /** The launcher script's default {@code CUSTOS_BACKUP_HEAP}. */
  public static final long DEFAULT_BASE = 1L << 30;

  /** Heap a backup needs besides the encoder, at the least: buffers and a small set. */
  static final long MINIMUM_REST = 128L << 20;

  private static final Pattern SIZE = Pattern.compile("([0-9]+)([kKmMgG]?)");

  private BackupHeap() {}

  /**
   * Parses a {@code -Xmx}-style size.
   *
   * @throws IllegalArgumentException naming the value when it is not one
   */
  public static long parse(String value) {
    Matcher m = SIZE.matcher(value == null ? "" : value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          ENV + " must be a size like 1g or 1536m, got \"" + value + "\"");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k":
        return n << 10;
      case "m":
        return n << 20;
      case "g":
        return n << 30;
      default:
        return n;
    }
  }

  /** {@code bytes} as an {@code -Xmx} value in MiB, rounded up: {@code 2035m}. */
  public static String format(long bytes) {
    return ((bytes + (1L << 20) - 1) >> 20) + "m";
  }

  /** The encoder's heap for {@code set}, in bytes, scaled to the old generation it must fit. */
  static long encoderShare(BackupSetConfig set) {
    long heap = set.compression().encoderMemory(set.compressionLevel(), set.workers()).heapBytes();
    return heap * 3 / 2;
  }

  /**
   * The heap a run of {@code set} should get when the operator's base heap is {@code base}: {@code
   * base} when the encoder fits in it with room to spare, else {@code base} plus the encoder's
   * share.
   */
  public static long required(BackupSetConfig set, long base) {
    long share = encoderShare(set);
    return share + MINIMUM_REST <= base ? base : base + share;
  }

  /**
   * Why a run of {@code set} cannot fit in a heap of {@code maxHeap} bytes, or empty when it can.
   */
  public static Optional<String> shortfall(BackupSetConfig set, long maxHeap) {
    long share = encoderShare(set);
    // A small heap (a test's, a tiny set's) keeps a quarter of itself for the rest.
    if (share + Math.min(MINIMUM_REST, maxHeap / 4) <= maxHeap) {
      return Optional.empty();
    }
    long encoder =
        set.compression().encoderMemory(set.compressionLevel(), set.workers()).heapBytes();
    return Optional.of(
        String.format(
            Locale.ROOT,
            "compression %s level %d needs %s of heap for its encoder (%s of"
                + " arrays in the old generation), more than this JVM's %s: run it with %s=%s"
                + " (the agent daemon does so itself), or choose a lower level",
            set.compression().configName(),
            set.compression().effectiveLevel(set.compressionLevel()),
            Sizes.human(share + MINIMUM_REST),
            Sizes.human(encoder),
            Sizes.human(maxHeap),
            ENV,
            format(required(set, DEFAULT_BASE))));
  }

  /** {@code MemTotal} of {@code /proc/meminfo} text, in bytes; empty when it has none. */
  public static OptionalLong memTotal(List<String> meminfo) {
    for (String line : meminfo) {
      if (line.startsWith("MemTotal:")) {
        String[] f = line.substring("MemTotal:".length()).trim().split("\\s+");
        try {
          long kib = Long.parseLong(f[0]);
          return OptionalLong.of(f.length > 1 && f[1].equalsIgnoreCase("kB") ? kib << 10 : kib);
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Why {@code set}'s compression cannot run on a machine with {@code ram} bytes of memory (its
   * encoder, heap and native, needs more than that), or empty when it can.
   */
  public static Optional<String> beyondMachine(BackupSetConfig set, long ram) {
    Compression.EncoderMemory m =
        set.compression().encoderMemory(set.compressionLevel(), set.workers());
    if (m.total() + MINIMUM_REST <= ram) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "compression %s level %d%s needs about %s for its encoder, more than this machine's"
                + " %s of memory; choose a lower level%s",
            set.compression().configName(),
            set.compression().effectiveLevel(set.compressionLevel()),
            set.workers() > 0 ? " with " + set.workers() + " workers" : "",
            Sizes.human(m.total()),
            Sizes.human(ram),
            set.workers() > 1 ? " or fewer workers" : ""));
  }
}
