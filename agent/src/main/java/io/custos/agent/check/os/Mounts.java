package io.custos.agent.check.os;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Parses {@code /proc/self/mountinfo} (or {@code /proc/mounts}) and picks the mounts worth
 * checking, as {@code df -P} does.
 */
public final class Mounts {
  /**
   * One line of {@code /proc/mounts}, escapes decoded.
   *
   * @param device the source, e.g. {@code /dev/sda1}, {@code tmpfs}, {@code server:/export}
   * @param mountPoint absolute path
   * @param type file system type, e.g. {@code ext4}
   * @param readOnly mounted with the {@code ro} option
   * @param devId the file system's {@code major:minor} from mountinfo, or null from {@code
   *     /proc/mounts}
   * @param fsRoot the directory of the file system mounted here from mountinfo: {@code /} for a
   *     real mount, a subdirectory for a bind mount of one; null from {@code /proc/mounts}
   */
  public record Mount(
      String device,
      String mountPoint,
      String type,
      boolean readOnly,
      String devId,
      String fsRoot) {
    /** A read-write mount. */
    public Mount(String device, String mountPoint, String type) {
      this(device, mountPoint, type, false);
    }

    /** A mount as {@code /proc/mounts} shows it. */
    public Mount(String device, String mountPoint, String type, boolean readOnly) {
      this(device, mountPoint, type, readOnly, null, null);
    }
  }

  /**
   * Parses the lines of a {@code mountinfo} file: {@code 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1
   * - ext3 /dev/root rw}. Lines without the {@code -} separator are skipped.
   */
  public static List<Mount> parseMountinfo(List<String> lines) {
    List<Mount> mounts = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split(" +");
      int dash = java.util.Arrays.asList(f).indexOf("-");
      if (f.length < 6 || dash < 6 || dash + 2 >= f.length) {
        continue;
      }
      boolean ro = java.util.Arrays.asList(f[5].split(",")).contains("ro");
      mounts.add(
          new Mount(unescape(f[dash + 2]), unescape(f[4]), f[dash + 1], ro, f[2], unescape(f[3])));
    }
    return mounts;
  }

  private Mounts() {}

  /** Parses the lines of {@code /proc/mounts}; skips lines with fewer than three fields. */
  public static List<Mount> parse(List<String> lines) {
    List<Mount> mounts = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) {
        continue;
      }
      boolean ro = f.length > 3 && java.util.Arrays.asList(f[3].split(",")).contains("ro");
      mounts.add(new Mount(unescape(f[0]), unescape(f[1]), f[2], ro));
    }
    return mounts;
  }

  /**
   * The kernel writes space, tab, newline and backslash in mount fields as three-digit octal
   * escapes ({@code \040}); anything else after a backslash is kept as it is.
   */
  public static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder sb = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        sb.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  /**
   * The mounts to check, in mount order: types that {@code excluded} rejects are dropped; of two
   * mounts on one mount point only the later (the visible one) stays; of the mounts of one file
   * system (bind mounts, btrfs subvolumes) only one stays, since they share their space: from
   * mountinfo the one whose root is the file system's {@code /} (a bind mount of a subdirectory
   * never replaces the real mount), else the one with the shortest mount point.
   */
  private static boolean better(Mount m, Mount seen) {
    boolean mWhole = m.fsRoot() == null || m.fsRoot().equals("/");
    boolean seenWhole = seen.fsRoot() == null || seen.fsRoot().equals("/");
    if (mWhole != seenWhole) {
      return mWhole;
    }
    return m.mountPoint().length() < seen.mountPoint().length();
  }

  public static List<Mount> select(List<Mount> mounts, Predicate<String> excluded) {
    Map<String, Mount> byPoint = new LinkedHashMap<>();
    for (Mount m : mounts) {
      byPoint.remove(m.mountPoint());
      byPoint.put(m.mountPoint(), m);
    }
    Map<String, Mount> byDevice = new LinkedHashMap<>();
    List<Mount> out = new ArrayList<>();
    for (Mount m : byPoint.values()) {
      if (excluded.test(m.type())) {
        continue;
      }
      // major:minor identifies a file system; else only a device path does ("tmpfs" names many).
      String key = m.devId() != null ? m.devId() : m.device().startsWith("/") ? m.device() : null;
      if (key != null) {
        Mount seen = byDevice.get(key);
        if (seen != null) {
          if (better(m, seen)) {
            out.set(out.indexOf(seen), m);
            byDevice.put(key, m);
          }
          continue;
        }
        byDevice.put(key, m);
      }
      out.add(m);
    }
    return out;
  }
}
