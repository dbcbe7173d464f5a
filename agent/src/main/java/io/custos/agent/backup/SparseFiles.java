package io.custos.agent.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finding holes in sparse files and the PAX sparse 1.0 map GNU tar writes for them.
 *
 * <p>Candidates are the files whose allocated 512-byte blocks ({@code statx}, {@link
 * FileNode#maybeSparse}) hold less than their size; only those are scanned for holes, by reading
 * them and taking every 4 KiB-aligned block of zeros as a hole.
 */
final class SparseFiles {

  static final int BLOCK = 4096;

  private SparseFiles() {}

  /** A data region of a sparse file: bytes {@code [offset, offset + length)}. */
  record Region(long offset, long length) {}

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
