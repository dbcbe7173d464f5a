package io.custos.agent.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One file found by {@link TreeScanner}, with the {@code lstat} data the archive and the manifest
 * need. Mutable only while a backup is planned ({@link #write}, {@link #linkTo}); never shared.
 */
final class FileNode {
  final Path path;
  final String name;
  final EntryType type;
  final long size;
  final Instant mtime;
  final Instant ctime;
  final int mode;
  final long uid;
  final long gid;
  final String uname;
  final String gname;
  final long dev;
  final long ino;
  final int nlink;
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
      Path path,
      String name,
      EntryType type,
      long size,
      Instant mtime,
      Instant ctime,
      int mode,
      long uid,
      long gid,
      String uname,
      String gname,
      long dev,
      long ino,
      int nlink,
      long rdev,
      String symlinkTarget) {
    this.path = path;
    this.name = name;
    this.type = type;
    this.size = size;
    this.mtime = mtime;
    this.ctime = ctime;
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    this.uname = uname;
    this.gname = gname;
    this.dev = dev;
    this.ino = ino;
    this.nlink = nlink;
    this.rdev = rdev;
    this.symlinkTarget = symlinkTarget;
  }

  String baseName() {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? name : name.substring(slash + 1);
  }

  /** Linux {@code major(rdev)}. */
  long devMajor() {
    return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
  }

  /** Linux {@code minor(rdev)}. */
  long devMinor() {
    return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
  }

  static long toNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
