package io.custos.agent.backup;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.custos.agent.backup.tar.PaxRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers: the fidelity tree, tree snapshots for comparison, and running GNU tar. */
final class Trees {

  static final long SPARSE_SIZE = 64L << 20;
  static final Instant T = Instant.parse("2021-03-04T05:06:07.123456789Z");

  private Trees() {}

  /** What the fidelity tree could hold on this machine. */
  record Features(boolean xattrs, boolean devices) {}

  /**
   * Builds {@code base/tree} with every kind of entry the archive must keep.
   *
   * @return which optional parts could be made
   */
  static Features buildFidelityTree(Path base) throws IOException {
    Path t = Files.createDirectories(base.resolve("tree"));
    Files.createFile(t.resolve("empty"));
    Files.writeString(t.resolve("small.txt"), "hello\n");
    Files.write(t.resolve("multi.bin"), bytes(300_000, 1));
    Files.createDirectories(t.resolve("a/b/c"));
    Files.writeString(t.resolve("a/b/c/deep.txt"), "deep\n");
    Path longDir = t;
    for (int i = 0; i < 4; i++) {
      longDir = longDir.resolve(("d" + i).repeat(30));
    }
    Files.createDirectories(longDir);
    Files.writeString(longDir.resolve("f".repeat(60)), "long\n");
    Files.writeString(t.resolve("ünïcødé name.txt"), "utf8\n");
    Files.createSymbolicLink(t.resolve("link"), Path.of("small.txt"));
    Files.createSymbolicLink(t.resolve("a/up"), Path.of("../small.txt"));
    Files.writeString(t.resolve("hl1"), "hard\n");
    Files.createLink(t.resolve("hl2"), t.resolve("hl1"));
    run(List.of("mkfifo", t.resolve("fifo").toString()));
    Files.writeString(t.resolve("suid"), "#!/bin/sh\n");
    Files.setAttribute(t.resolve("suid"), "unix:mode", 04755);
    Files.writeString(t.resolve("sgid"), "#!/bin/sh\n");
    Files.setAttribute(t.resolve("sgid"), "unix:mode", 02755);
    Files.createDirectory(t.resolve("sticky"));
    Files.writeString(t.resolve("sticky/x"), "x\n");
    Files.setAttribute(t.resolve("sticky"), "unix:mode", 01777);
    Path sparse = t.resolve("sparse.img");
    try (FileChannel ch =
        FileChannel.open(sparse, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes(8192, 2)), 1 << 20);
      ch.write(ByteBuffer.wrap(bytes(4096, 3)), 40L << 20);
      ch.write(ByteBuffer.wrap(new byte[] {7}), SPARSE_SIZE - 1);
    }
    boolean xattrs = true;
    try {
      UserDefinedFileAttributeView v =
          Files.getFileAttributeView(t.resolve("small.txt"), UserDefinedFileAttributeView.class);
      v.write("custos.test", ByteBuffer.wrap("value 1".getBytes(StandardCharsets.UTF_8)));
      Files.getFileAttributeView(t.resolve("a"), UserDefinedFileAttributeView.class)
          .write("custos.dir", ByteBuffer.wrap("d".getBytes(StandardCharsets.UTF_8)));
    } catch (IOException | UnsupportedOperationException e) {
      System.out.println("SKIPPED xattr part: temp file system rejects user xattrs: " + e);
      xattrs = false;
    }
    boolean devices = false;
    if (Processes.isRoot()) {
      try {
        run(List.of("mknod", t.resolve("chr").toString(), "c", "1", "3"));
        run(List.of("mknod", t.resolve("blk").toString(), "b", "7", "200"));
        Files.writeString(t.resolve("owned"), "owned\n");
        Files.setAttribute(t.resolve("owned"), "unix:uid", 1234);
        Files.setAttribute(t.resolve("owned"), "unix:gid", 5678);
        devices = true;
      } catch (IOException e) {
        System.out.println("SKIPPED device nodes: mknod failed here: " + e.getMessage());
      }
    } else {
      System.out.println("SKIPPED device nodes and owners: not running as root");
    }
    setTimes(t);
    return new Features(xattrs, devices);
  }

  /** Gives every entry below {@code t} a distinct mtime with nanoseconds, directories last. */
  static void setTimes(Path t) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(t)) {
      all = new ArrayList<>(s.toList());
    }
    all.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
    int i = 0;
    for (Path p : all) {
      Instant when = T.plusSeconds(i * 61L).plusNanos(i * 1_001L);
      i++;
      if (Files.isSymbolicLink(p)) {
        continue;
      }
      String type = typeOf(p);
      if (type.equals("fifo") || type.equals("char") || type.equals("block")) {
        run(List.of("touch", "-h", "-m", "-d", "@" + PaxRecords.time(when), p.toString()));
      } else {
        Files.setLastModifiedTime(p, FileTime.from(when));
      }
    }
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String typeOf(Path p) throws IOException {
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return EntryType.fromMode(mode).token();
  }

  /**
   * Everything we promise to keep about each path below {@code dir}, as comparable text: type,
   * mode, owner, size, content hash, mtime (ns; symlinks excluded), link target, link count, device
   * numbers, user xattrs.
   */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.toList();
    }
    for (Path p : all) {
      String rel = dir.relativize(p).toString();
      if (rel.isEmpty()) {
        continue;
      }
      Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
      String type = EntryType.fromMode((Integer) a.get("mode")).token();
      StringBuilder d = new StringBuilder(type);
      d.append(" mode=").append(Integer.toOctalString((Integer) a.get("mode") & 07777));
      d.append(" uid=").append(a.get("uid")).append(" gid=").append(a.get("gid"));
      if (type.equals("symlink")) {
        d.append(" -> ").append(Files.readSymbolicLink(p));
      } else {
        d.append(" mtime=").append(a.get("lastModifiedTime"));
      }
      if (type.equals("file")) {
        d.append(" size=").append(a.get("size")).append(" sha=").append(sha(p));
        d.append(" nlink=").append(a.get("nlink"));
      }
      if (type.equals("char") || type.equals("block")) {
        d.append(" rdev=").append(a.get("rdev"));
      }
      if (type.equals("file") || type.equals("dir")) {
        UserDefinedFileAttributeView v =
            Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        try {
          List<String> names = new ArrayList<>(v.list());
          names.sort(null);
          for (String x : names) {
            ByteBuffer b = ByteBuffer.allocate(v.size(x));
            v.read(x, b);
            d.append(" xattr:").append(x).append('=').append(new String(b.array()));
          }
        } catch (IOException | UnsupportedOperationException e) {
          // no xattrs here
        }
      }
      out.put(rel, d.toString());
    }
    return out;
  }

  static String sha(Path p) throws IOException {
    try (var in = Files.newInputStream(p)) {
      MessageDigest md = ArchiveWriter.sha256();
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    }
  }

  /** Allocated 512-byte blocks of a file ({@code stat -c %b}). */
  static long blocks(Path p) throws IOException {
    return Long.parseLong(run(List.of("stat", "-c", "%b", p.toString())).trim());
  }

  static void assumeGnuTar() {
    boolean ok;
    try {
      ok = run(List.of("tar", "--version")).contains("GNU tar");
    } catch (IOException e) {
      ok = false;
    }
    assumeTrue(ok, "GNU tar is not installed; skipping the GNU tar interoperability check");
  }

  /** GNU tar's option for reading/writing {@code c}. */
  static List<String> tarFlag(Compression c) {
    switch (c) {
      case GZIP:
        return List.of("-z");
      case BZIP2:
        return List.of("-j");
      case XZ:
        return List.of("-J");
      case LZ4:
        return List.of("-I", "lz4");
      case ZSTD:
        return List.of("--zstd");
      default:
        return List.of();
    }
  }

  /** Runs a command; returns stdout; fails with stdout and stderr if it exits non-zero. */
  static String run(List<String> cmd) throws IOException {
    return run(cmd, true);
  }

  static String run(List<String> cmd, boolean stderrMustBeEmpty) throws IOException {
    Process p = new ProcessBuilder(cmd).start();
    byte[] err;
    String out;
    try (var e = p.getErrorStream()) {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      err = e.readAllBytes();
    }
    int rc;
    try {
      rc = p.waitFor();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IOException(ex);
    }
    String errText = new String(err, StandardCharsets.UTF_8);
    if (rc != 0 || (stderrMustBeEmpty && !errText.isBlank())) {
      throw new IOException(cmd + " exited " + rc + "\nstdout: " + out + "\nstderr: " + errText);
    }
    return out;
  }
}
