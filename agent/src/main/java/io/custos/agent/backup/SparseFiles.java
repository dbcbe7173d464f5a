package io.custos.agent.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finding holes in sparse files and the PAX sparse 1.0 map GNU tar writes for them.
 *
 * <p>Java cannot {@code lseek(SEEK_HOLE)} nor read {@code st_blocks}, so candidates come from one
 * {@code find -printf '%b %s %p\0'} per backed-up tree (files whose allocated 512-byte blocks hold
 * less than their size); only those are scanned for holes, by reading them and taking every 4
 * KiB-aligned block of zeros as a hole. Without {@code find} no file is treated as sparse (a
 * warning says so) and the archive is still correct, only larger.
 */
final class SparseFiles {

  static final int BLOCK = 4096;

  private SparseFiles() {}

  /** A data region of a sparse file: bytes {@code [offset, offset + length)}. */
  record Region(long offset, long length) {}

  /**
   * The absolute paths, below {@code trees}, of regular files larger than 4 KiB that occupy fewer
   * blocks than their size.
   *
   * @throws IOException if {@code find} cannot be run or fails
   */
  static Set<String> candidates(List<Path> trees) throws IOException {
    Set<String> result = new HashSet<>();
    if (trees.isEmpty()) {
      return result;
    }
    List<String> cmd = new ArrayList<>(List.of("find"));
    for (Path t : trees) {
      cmd.add(t.toString());
    }
    cmd.addAll(List.of("-type", "f", "-size", "+8", "-printf", "%b %s %p\\0"));
    Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    try (InputStream in = proc.getInputStream()) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == 0) {
            parse(record.toString(StandardCharsets.UTF_8), result);
            record.reset();
          } else {
            record.write(buf[i]);
          }
        }
      }
    }
    try {
      proc.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while looking for sparse files", e);
    }
    return result;
  }

  private static void parse(String line, Set<String> result) {
    int a = line.indexOf(' ');
    int b = line.indexOf(' ', a + 1);
    if (a < 0 || b < 0) {
      return;
    }
    try {
      long blocks = Long.parseLong(line.substring(0, a));
      long size = Long.parseLong(line.substring(a + 1, b));
      if (blocks * 512 < size) {
        result.add(line.substring(b + 1));
      }
    } catch (NumberFormatException e) {
      // not a line find wrote for us; ignore it
    }
  }

  /**
   * The data regions of the first {@code size} bytes of {@code ch}: maximal runs of 4 KiB blocks
   * that are not all zeros. The file is read once from the start.
   */
  static List<Region> dataRegions(FileChannel ch, long size) throws IOException {
    List<Region> regions = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    long pos = 0;
    long start = -1;
    while (pos < size) {
      buf.clear();
      if (size - pos < buf.capacity()) {
        buf.limit((int) (size - pos));
      }
      int n = ch.read(buf, pos);
      if (n <= 0) {
        break;
      }
      for (int off = 0; off < n; off += BLOCK) {
        int len = Math.min(BLOCK, n - off);
        boolean zero = isZero(buf.array(), off, len);
        long at = pos + off;
        if (!zero && start < 0) {
          start = at;
        } else if (zero && start >= 0) {
          regions.add(new Region(start, at - start));
          start = -1;
        }
      }
      pos += n;
    }
    if (start >= 0) {
      regions.add(new Region(start, pos - start));
    }
    return regions;
  }

  private static boolean isZero(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code regions} leave no hole in a file of {@code size} bytes. */
  static boolean dense(List<Region> regions, long size) {
    return regions.size() == 1 && regions.get(0).offset() == 0 && regions.get(0).length() == size;
  }

  /**
   * The map as GNU tar writes it: the region count, then offset and length of each, one decimal per
   * line, NUL-padded to a multiple of 512. A file that ends in a hole gets a final region of length
   * 0 at its size, which is what makes the extracted file as long as the original.
   */
  static List<Region> withEnd(List<Region> regions, long size) {
    List<Region> all = new ArrayList<>(regions);
    Region last = all.isEmpty() ? null : all.get(all.size() - 1);
    if (last == null || last.offset() + last.length() < size) {
      all.add(new Region(size, 0));
    }
    return all;
  }

  static byte[] encodeMap(List<Region> regions) {
    StringBuilder sb = new StringBuilder();
    sb.append(regions.size()).append('\n');
    for (Region r : regions) {
      sb.append(r.offset()).append('\n').append(r.length()).append('\n');
    }
    byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
    int padded = (text.length + 511) / 512 * 512;
    byte[] out = new byte[padded];
    System.arraycopy(text, 0, out, 0, text.length);
    return out;
  }
}
