package io.custos.agent.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One file found by {@link TreeScanner}, with the {@code lstat} data the archive and the manifest
 * need. Mutable only while a backup is planned ({@link #write}, {@link #linkTo}); never shared.
 * Names are in {@link FileNames#decode} form, so they stand for the exact bytes.
 */
final class FileNode {
  /** The file, with its exact name bytes. */
  final Path path;

  /** The absolute name ({@link FileNames} form), for the calls of {@link LinuxFiles}. */
  final String absolute;

  /** The archive name: relative to the set's root, no leading or trailing {@code /}. */
  final String name;

  final EntryType type;
  final long size;
  final long blocks;
  final Instant mtime;
  final Instant ctime;
  final int mode;
  final long uid;
  final long gid;
  final String uname;
  final String gname;
  final long dev;
  final long ino;
  final long nlink;
  final long rdev;
  final String symlinkTarget;

  /** Children of a directory, sorted by name; excluded ones are only named in {@link #skipped}. */
  final List<FileNode> children = new ArrayList<>();

  /** Names of children left out (excluded, sockets, unreadable): {@code N} in the dumpdir. */
  final List<String> skipped = new ArrayList<>();

  /** Whether this archive holds the node (always true for directories). */
  boolean write;

  /** For a second or later hard link written in this archive: the name it links to. */
  String linkTo;

  FileNode(
      String absolute,
      String name,
      LinuxFiles.Stat st,
      EntryType type,
      String uname,
      String gname,
      String symlinkTarget) {
    this.absolute = absolute;
    this.path = FileNames.path(absolute);
    this.name = name;
    this.type = type;
    this.size = type == EntryType.FILE ? st.size() : 0L;
    this.blocks = st.blocks();
    this.mtime = st.mtime();
    this.ctime = st.ctime();
    this.mode = st.mode() & 07777;
    this.uid = st.uid();
    this.gid = st.gid();
    this.uname = uname;
    this.gname = gname;
    this.dev = st.dev();
    this.ino = st.ino();
    this.nlink = st.nlink();
    this.rdev = st.rdev();
    this.symlinkTarget = symlinkTarget;
  }

  String baseName() {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? name : name.substring(slash + 1);
  }

  /** Whether the file occupies fewer blocks than its size: it may have holes. */
  boolean maybeSparse() {
    return type == EntryType.FILE && size > 8 * 512 && blocks * 512 < size;
  }

  /** Linux {@code major(rdev)}. */
  long devMajor() {
    return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
  }

  /** Linux {@code minor(rdev)}. */
  long devMinor() {
    return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
  }

  /**
   * Epoch nanoseconds of {@code t} for the manifest, saturated to the {@code long} range (years
   * 1677 to 2262); the archive keeps the exact time, and a changed time outside that range still
   * shows as a changed ctime.
   */
  static long toNanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
