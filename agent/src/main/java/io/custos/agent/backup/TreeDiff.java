package io.custos.agent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares two trees, typically a restored one with the live one, without following symlinks: what
 * was added (only in the second), removed (only in the first), and changed: type, content (bytes,
 * or symlink target), mode, owner (uid:gid) and mtime. Directory mtimes are compared too, since a
 * restore sets them. Symlink mtimes are compared to the microsecond, as restore can set them.
 */
public final class TreeDiff {
  private static final String ATTRS = "unix:mode,uid,gid,size,lastModifiedTime";

  /**
   * One difference.
   *
   * @param kind {@code added | removed | changed}
   * @param path relative path
   * @param what for {@code changed}: the aspects, e.g. {@code content}, {@code mode 0644 -> 0600}
   * @param bothRegularFiles whether both sides are regular files (a unified diff is possible)
   */
  public record Difference(String kind, String path, List<String> what, boolean bothRegularFiles) {
    @Override
    public String toString() {
      return kind + ": " + path + (what.isEmpty() ? "" : " (" + String.join(", ", what) + ")");
    }
  }

  private final Path a;
  private final Path b;

  /** Compares {@code a} (e.g. restored) with {@code b} (e.g. live). */
  public TreeDiff(Path a, Path b) {
    this.a = a;
    this.b = b;
  }

  /** The differences, in path order. */
  public List<Difference> compare() throws IOException {
    List<Difference> out = new ArrayList<>();
    walk("", out);
    return out;
  }

  private void walk(String rel, List<Difference> out) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    list(resolve(a, rel), names);
    list(resolve(b, rel), names);
    for (String n : names) {
      String p = rel.isEmpty() ? n : rel + "/" + n;
      Path pa = resolve(a, p);
      Path pb = resolve(b, p);
      Map<String, Object> sa = stat(pa);
      Map<String, Object> sb = stat(pb);
      if (sa == null) {
        out.add(new Difference("added", p, List.of(), false));
        continue;
      }
      if (sb == null) {
        out.add(new Difference("removed", p, List.of(), false));
        continue;
      }
      int ta = type(sa);
      int tb = type(sb);
      List<String> what = new ArrayList<>();
      if (ta != tb) {
        what.add("type " + typeName(ta) + " -> " + typeName(tb));
        out.add(new Difference("changed", p, what, false));
        continue;
      }
      if (ta == 0100000 && !sameContent(pa, pb, (Long) sa.get("size"), (Long) sb.get("size"))) {
        what.add("content");
      }
      if (ta == 0120000
          && !Files.readSymbolicLink(pa).toString().equals(Files.readSymbolicLink(pb).toString())) {
        what.add("target " + Files.readSymbolicLink(pa) + " -> " + Files.readSymbolicLink(pb));
      }
      int ma = (Integer) sa.get("mode") & 07777;
      int mb = (Integer) sb.get("mode") & 07777;
      if (ma != mb && ta != 0120000) {
        what.add(String.format("mode %04o -> %04o", ma, mb));
      }
      if (!sa.get("uid").equals(sb.get("uid")) || !sa.get("gid").equals(sb.get("gid"))) {
        what.add(
            "owner "
                + sa.get("uid")
                + ":"
                + sa.get("gid")
                + " -> "
                + sb.get("uid")
                + ":"
                + sb.get("gid"));
      }
      Instant mta = ((FileTime) sa.get("lastModifiedTime")).toInstant();
      Instant mtb = ((FileTime) sb.get("lastModifiedTime")).toInstant();
      if (ta == 0120000) {
        mta = mta.truncatedTo(ChronoUnit.MICROS);
        mtb = mtb.truncatedTo(ChronoUnit.MICROS);
      }
      if (!mta.equals(mtb)) {
        what.add("mtime " + mta + " -> " + mtb);
      }
      if (!what.isEmpty()) {
        out.add(new Difference("changed", p, what, ta == 0100000));
      }
      if (ta == 0040000) {
        walk(p, out);
      }
    }
  }

  private static Path resolve(Path root, String rel) {
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  private static void list(Path dir, TreeSet<String> names) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    }
  }

  private static Map<String, Object> stat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static int type(Map<String, Object> s) {
    return (Integer) s.get("mode") & 0170000;
  }

  private static String typeName(int t) {
    switch (t) {
      case 0100000:
        return "file";
      case 0040000:
        return "directory";
      case 0120000:
        return "symlink";
      case 0010000:
        return "fifo";
      case 0020000:
        return "char device";
      case 0060000:
        return "block device";
      default:
        return "socket";
    }
  }

  private static boolean sameContent(Path x, Path y, long sx, long sy) throws IOException {
    if (sx != sy) {
      return false;
    }
    byte[] bx = new byte[256 * 1024];
    byte[] by = new byte[256 * 1024];
    try (InputStream ix = Files.newInputStream(x, LinkOption.NOFOLLOW_LINKS);
        InputStream iy = Files.newInputStream(y, LinkOption.NOFOLLOW_LINKS)) {
      while (true) {
        int nx = ix.readNBytes(bx, 0, bx.length);
        int ny = iy.readNBytes(by, 0, by.length);
        if (nx != ny || !Arrays.equals(bx, 0, nx, by, 0, ny)) {
          return false;
        }
        if (nx < bx.length) {
          return true;
        }
      }
    }
  }

  /** Whether a file looks like text: no NUL byte in its first 8 KiB. */
  public static boolean isText(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      byte[] head = in.readNBytes(8192);
      for (byte x : head) {
        if (x == 0) {
          return false;
        }
      }
      return true;
    }
  }
}
