package io.custos.collector.store.history;

/**
 * Reads bits most-significant first from a byte array written by {@link BitWriter}. Reading past
 * the end throws {@link IllegalArgumentException}, which callers report as a corrupt chunk.
 */
final class BitReader {
  private final byte[] buf;
  private long pos;

  BitReader(byte[] buf) {
    this.buf = buf;
  }

  boolean readBit() {
    int index = (int) (pos >>> 3);
    if (index >= buf.length) {
      throw new IllegalArgumentException("chunk ends after " + buf.length + " bytes");
    }
    boolean bit = (buf[index] & (0x80 >>> (pos & 7))) != 0;
    pos++;
    return bit;
  }

  /** Reads {@code n} bits, 0 ≤ n ≤ 64, a byte at a time. */
  long read(int n) {
    long v = 0;
    while (n > 0) {
      int index = (int) (pos >>> 3);
      if (index >= buf.length) {
        throw new IllegalArgumentException("chunk ends after " + buf.length + " bytes");
      }
      int available = 8 - (int) (pos & 7);
      int take = Math.min(available, n);
      int bits = ((buf[index] & 0xFF) >>> (available - take)) & ((1 << take) - 1);
      v = (v << take) | bits;
      pos += take;
      n -= take;
    }
    return v;
  }

  /** Bits read so far. */
  long position() {
    return pos;
  }

  long readVarint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      long b = read(8);
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 64 bits");
  }

  long readSignedVarint() {
    long v = readVarint();
    return (v >>> 1) ^ -(v & 1);
  }
}
