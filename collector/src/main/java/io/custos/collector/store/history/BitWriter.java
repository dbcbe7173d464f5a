package io.custos.collector.store.history;

import java.util.Arrays;

/** Appends bits most-significant first into a growing byte array. Not thread-safe. */
final class BitWriter {
  private byte[] buf;
  private long bits;

  BitWriter(int initialBytes) {
    buf = new byte[Math.max(8, initialBytes)];
  }

  /** Writes the low {@code n} bits of {@code value}, 0 ≤ n ≤ 64. */
  void write(long value, int n) {
    for (int i = n - 1; i >= 0; i--) {
      writeBit(((value >>> i) & 1) != 0);
    }
  }

  void writeBit(boolean bit) {
    int index = (int) (bits >>> 3);
    if (index >= buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    if (bit) {
      buf[index] |= (byte) (0x80 >>> (bits & 7));
    }
    bits++;
  }

  /** Unsigned LEB128. */
  void writeVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      write((v & 0x7F) | 0x80, 8);
      v >>>= 7;
    }
    write(v, 8);
  }

  /** Zig-zag then LEB128, for signed values near zero. */
  void writeSignedVarint(long v) {
    writeVarint((v << 1) ^ (v >> 63));
  }

  /** The bytes written, the last one zero-padded. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, (int) ((bits + 7) >>> 3));
  }
}
