package io.custos.agent.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Parses {@code /proc/mounts} and picks the mounts worth checking, as {@code df -P} does. */
final class Mounts {
  /**
   * One line of {@code /proc/mounts}, escapes decoded.
   *
   * @param device the source, e.g. {@code /dev/sda1}, {@code tmpfs}, {@code server:/export}
   * @param mountPoint absolute path
   * @param type file system type, e.g. {@code ext4}
   * @param readOnly mounted with the {@code ro} option
   */
  record Mount(String device, String mountPoint, String type, boolean readOnly) {
    /** A read-write mount. */
    Mount(String device, String mountPoint, String type) {
      this(device, mountPoint, type, false);
    }
  }

  private Mounts() {}

  /** Parses the lines of {@code /proc/mounts}; skips lines with fewer than three fields. */
  static List<Mount> parse(List<String> lines) {
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
  static String unescape(String field) {
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
   * mounts on one mount point only the later (the visible one) stays; of the mounts of one block
   * device (bind mounts, btrfs subvolumes) only the one with the shortest mount point stays, since
   * they share their space.
   */
  static List<Mount> select(List<Mount> mounts, Predicate<String> excluded) {
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
      // Only a device path identifies a file system; "tmpfs" or "none" name many.
      if (m.device().startsWith("/")) {
        Mount seen = byDevice.get(m.device());
        if (seen != null) {
          if (m.mountPoint().length() < seen.mountPoint().length()) {
            out.set(out.indexOf(seen), m);
            byDevice.put(m.device(), m);
          }
          continue;
        }
        byDevice.put(m.device(), m);
      }
      out.add(m);
    }
    return out;
  }
}
