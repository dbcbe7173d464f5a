package io.custos.agent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Compares two trees, typically a restored one with the live one, without following symlinks: what
 * was added (only in the second), removed (only in the first), and changed: type, content (bytes,
 * or symlink target, as bytes), mode, owner (uid:gid) and mtime to the nanosecond. Directory mtimes
 * are compared too, since a restore sets them, and symlink mtimes, which restore sets with {@code
 * utimensat}. Names are read and compared as bytes ({@link LinuxFiles}), so names that are not
 * UTF-8, or a process without a UTF-8 locale, change nothing.
 */
public final class TreeDiff {

  /**
   * One difference.
   *
   * @param kind {@code added | removed | changed}
   * @param path relative name, exact bytes in {@link FileNames#decode} form (see {@link #resolve});
   *     {@link #toString} shows bytes that are not UTF-8 as octal escapes
   * @param what for {@code changed}: the aspects, e.g. {@code content}, {@code mode 0644 -> 0600}
   * @param bothRegularFiles whether both sides are regular files (a unified diff is possible)
   */
  public record Difference(String kind, String path, List<String> what, boolean bothRegularFiles) {
    @Override
    public String toString() {
      return kind
          + ": "
          + FileNames.display(path)
          + (what.isEmpty() ? "" : " (" + String.join(", ", what) + ")");
    }
  }

  private final Path a;
  private final Path b;
  private final String aName;
  private final String bName;

  /** Compares {@code a} (e.g. restored) with {@code b} (e.g. live). */
  public TreeDiff(Path a, Path b) {
    this.a = a;
    this.b = b;
    this.aName = FileNames.of(a);
    this.bName = FileNames.of(b);
  }

  /** The differences, in path order. Names are compared as bytes, whatever the locale. */
  public List<Difference> compare() throws IOException {
    List<Difference> out = new ArrayList<>();
    walk("", out);
    return out;
  }

  /**
   * The file {@code relative} (a {@link Difference#path}) below {@code root}, by its exact bytes.
   */
  public static Path resolve(Path root, String relative) {
    return FileNames.resolve(root, relative);
  }

  /**
   * Whether {@code relative} can be handed to another program as a command-line argument: Java
   * encodes arguments in the locale's charset, so only names it can encode exactly qualify.
   */
  public static boolean passableAsArgument(Path root, String relative) {
    return resolve(root, relative).toString().equals(FileNames.of(root) + "/" + relative);
  }

  private void walk(String rel, List<Difference> out) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    list(join(aName, rel), names);
    list(join(bName, rel), names);
    for (String n : names) {
      String p = rel.isEmpty() ? n : rel + "/" + n;
      String na = join(aName, p);
      String nb = join(bName, p);
      LinuxFiles.Stat sa = stat(na);
      LinuxFiles.Stat sb = stat(nb);
      if (sa == null) {
        out.add(new Difference("added", p, List.of(), false));
        continue;
      }
      if (sb == null) {
        out.add(new Difference("removed", p, List.of(), false));
        continue;
      }
      int ta = sa.mode() & 0170000;
      int tb = sb.mode() & 0170000;
      List<String> what = new ArrayList<>();
      if (ta != tb) {
        what.add("type " + typeName(ta) + " -> " + typeName(tb));
        out.add(new Difference("changed", p, what, false));
        continue;
      }
      if (ta == 0100000
          && !sameContent(FileNames.path(na), FileNames.path(nb), sa.size(), sb.size())) {
        what.add("content");
      }
      if (ta == 0120000) {
        byte[] la = LinuxFiles.readlink(na);
        byte[] lb = LinuxFiles.readlink(nb);
        if (!Arrays.equals(la, lb)) {
          what.add(
              "target "
                  + FileNames.display(FileNames.decode(la))
                  + " -> "
                  + FileNames.display(FileNames.decode(lb)));
        }
      }
      int ma = sa.mode() & 07777;
      int mb = sb.mode() & 07777;
      if (ma != mb && ta != 0120000) {
        what.add(String.format("mode %04o -> %04o", ma, mb));
      }
      if (sa.uid() != sb.uid() || sa.gid() != sb.gid()) {
        what.add("owner " + sa.uid() + ":" + sa.gid() + " -> " + sb.uid() + ":" + sb.gid());
      }
      Instant mta = sa.mtime();
      Instant mtb = sb.mtime();
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

  private static String join(String root, String rel) {
    if (rel.isEmpty()) {
      return root;
    }
    return root.equals("/") ? "/" + rel : root + "/" + rel;
  }

  private static void list(String dir, TreeSet<String> names) throws IOException {
    LinuxFiles.Stat st = stat(dir);
    if (st == null || (st.mode() & 0170000) != 0040000) {
      return;
    }
    for (byte[] n : LinuxFiles.list(dir)) {
      names.add(FileNames.decode(n));
    }
  }

  private static LinuxFiles.Stat stat(String name) throws IOException {
    try {
      return LinuxFiles.lstat(name);
    } catch (NoSuchFileException e) {
      return null;
    }
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
