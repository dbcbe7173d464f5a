package io.custos.agent.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finding holes in sparse files and the PAX sparse 1.0 map GNU tar writes for them.
 *
 * <p>Candidates are the files whose allocated 512-byte blocks ({@code statx}, {@link
 * FileNode#maybeSparse}) hold less than their size; only those are asked for their holes.
 */
final class SparseFiles {

  static final int BLOCK = 4096;

  private SparseFiles() {}

  /** A data region of a sparse file: bytes {@code [offset, offset + length)}. */
  record Region(long offset, long length) {}

  /**
   * The data regions of the first {@code size} bytes of the file {@code absolute}, as the file
   * system reports them ({@code lseek(SEEK_DATA/SEEK_HOLE)}, what GNU tar 1.34 {@code -S} uses):
   * holes are never read.
   */
  static List<Region> dataRegions(String absolute, long size) throws IOException {
    List<Region> regions = new ArrayList<>();
    for (long[] r : LinuxFiles.dataRegions(absolute)) {
      long end = Math.min(size, r[0] + r[1]);
      if (r[0] < end) {
        regions.add(new Region(r[0], end - r[0]));
      }
    }
    return regions;
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
