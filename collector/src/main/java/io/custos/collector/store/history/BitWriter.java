package io.custos.collector.store.history;

import java.util.Arrays;

/**
 * Appends bits most-significant first into a growing byte array, through a 64-bit accumulator so
 * that writing a value costs a few shifts rather than a loop over its bits. Not thread-safe.
 */
final class BitWriter {
  private byte[] buf;
  private int bytes;
  private long acc;
  private int accBits;

  BitWriter(int initialBytes) {
    buf = new byte[Math.max(16, initialBytes)];
  }

  /** Writes the low {@code n} bits of {@code value}, 0 ≤ n ≤ 64. */
  void write(long value, int n) {
    while (n > 0) {
      int take = Math.min(64 - accBits, n);
      long part = (value >>> (n - take)) & mask(take);
      acc = take == 64 ? part : (acc << take) | part;
      accBits += take;
      n -= take;
      if (accBits == 64) {
        flush(acc, 8);
        acc = 0;
        accBits = 0;
      }
    }
  }

  void writeBit(boolean bit) {
    write(bit ? 1 : 0, 1);
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
    int tail = (accBits + 7) / 8;
    byte[] out = Arrays.copyOf(buf, bytes + tail);
    long left = accBits == 0 ? 0 : acc << (64 - accBits);
    for (int i = 0; i < tail; i++) {
      out[bytes + i] = (byte) (left >>> (56 - 8 * i));
    }
    return out;
  }

  private void flush(long word, int count) {
    if (bytes + count > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bytes + count));
    }
    for (int i = 0; i < count; i++) {
      buf[bytes++] = (byte) (word >>> (56 - 8 * i));
    }
  }

  private static long mask(int n) {
    return n == 64 ? -1L : (1L << n) - 1;
  }
}
