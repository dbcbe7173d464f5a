package io.custos.agent.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test helper: a snapshot of a tree by exact name bytes, whatever the locale: type, mode, uid/gid
 * (unsigned), size, sha256, symlink target bytes, nanosecond mtime (not of symlinks' parents' —
 * every entry), device numbers, whether it is sparse, and every xattr (ACLs included) in hex.
 */
final class ByteTrees {

  private ByteTrees() {}

  /** Relative name (escaped for display) to a description; {@code ignoreXattr} names left out. */
  static Map<String, String> snapshot(Path dir, String... ignoreXattr) throws IOException {
    Map<String, String> out = new TreeMap<>();
    walk(FileNames.of(dir), "", out, List.of(ignoreXattr));
    return out;
  }

  private static void walk(String abs, String rel, Map<String, String> out, List<String> ignore)
      throws IOException {
    List<byte[]> names = LinuxFiles.list(abs);
    names.sort(Arrays::compareUnsigned);
    for (byte[] raw : names) {
      String name = FileNames.decode(raw);
      String childAbs = abs + "/" + name;
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      LinuxFiles.Stat st = LinuxFiles.lstat(childAbs);
      EntryType type = EntryType.fromMode(st.mode());
      StringBuilder d = new StringBuilder(type.token());
      d.append(" mode=").append(Integer.toOctalString(st.mode() & 07777));
      d.append(" uid=").append(st.uid()).append(" gid=").append(st.gid());
      d.append(" mtime=").append(st.mtime());
      switch (type) {
        case SYMLINK:
          d.append(" -> ").append(HexFormat.of().formatHex(LinuxFiles.readlink(childAbs)));
          break;
        case FILE:
          d.append(" size=").append(st.size()).append(" sha=").append(sha(childAbs));
          d.append(" nlink=").append(st.nlink());
          d.append(st.blocks() * 512 < st.size() ? " sparse" : "");
          break;
        case CHAR:
        case BLOCK:
          d.append(" rdev=").append(st.rdev());
          break;
        default:
          break;
      }
      if (type == EntryType.FILE || type == EntryType.DIR) {
        List<String> attrs = new ArrayList<>(LinuxFiles.listXattrs(childAbs));
        attrs.sort(null);
        for (String a : attrs) {
          if (!ignore.contains(a)) {
            d.append(' ')
                .append(a)
                .append('=')
                .append(HexFormat.of().formatHex(LinuxFiles.getXattr(childAbs, a)));
          }
        }
      }
      out.put(FileNames.display(childRel), d.toString());
      if (type == EntryType.DIR) {
        walk(childAbs, childRel, out, ignore);
      }
    }
  }

  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

  /**
   * sha256 over (offset, bytes) of the 1 MiB blocks that are not all zeros, reading only the data
   * regions ({@code SEEK_DATA}): equal for equal content, whatever the holes, and fast on them.
   */
  static String sha(String abs) throws IOException {
    MessageDigest md = ArchiveWriter.sha256();
    try (FileChannel ch =
        FileChannel.open(FileNames.path(abs), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer b = ByteBuffer.allocateDirect(ZEROS.capacity());
      long done = 0;
      for (long[] region : LinuxFiles.dataRegions(abs)) {
        // whole 1 MiB blocks, each once: the same blocks whatever the map's granularity
        long at = Math.max(done, region[0] / ZEROS.capacity() * ZEROS.capacity());
        long end = region[0] + region[1];
        int n;
        while (at < end && (n = ch.read(b, at)) > 0) {
          b.flip();
          if (b.mismatch(ZEROS.duplicate().limit(n)) >= 0) {
            md.update(ByteBuffer.allocate(8).putLong(0, at));
            md.update(b);
          }
          at += n;
          b.clear();
        }
        done = at;
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
