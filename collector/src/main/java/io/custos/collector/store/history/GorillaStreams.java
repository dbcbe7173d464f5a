package io.custos.collector.store.history;

/**
 * The two stream encodings of Facebook's Gorilla paper (VLDB 2015), used for every column of a
 * chunk: delta-of-delta for integers (timestamps, counts) and XOR against the previous value for
 * doubles. Each is a small stateful encoder/decoder pair over a shared bit stream.
 */
final class GorillaStreams {
  private GorillaStreams() {}

  /**
   * Delta-of-delta of longs. The first value is a signed varint, the first delta a signed varint;
   * then each delta-of-delta as {@code 0} (zero), {@code 10}+7 bits, {@code 110}+9 bits, {@code
   * 1110}+12 bits, {@code 11110}+32 bits or {@code 11111}+64 bits, two's complement.
   */
  static final class DodEncoder {
    private int n;
    private long prev;
    private long prevDelta;

    void add(BitWriter out, long value) {
      if (n == 0) {
        out.writeSignedVarint(value);
      } else if (n == 1) {
        prevDelta = value - prev;
        out.writeSignedVarint(prevDelta);
      } else {
        long delta = value - prev;
        long dod = delta - prevDelta;
        prevDelta = delta;
        if (dod == 0) {
          out.writeBit(false);
        } else if (fits(dod, 7)) {
          out.write(0b10, 2);
          out.write(dod, 7);
        } else if (fits(dod, 9)) {
          out.write(0b110, 3);
          out.write(dod, 9);
        } else if (fits(dod, 12)) {
          out.write(0b1110, 4);
          out.write(dod, 12);
        } else if (fits(dod, 32)) {
          out.write(0b11110, 5);
          out.write(dod, 32);
        } else {
          out.write(0b11111, 5);
          out.write(dod, 64);
        }
      }
      prev = value;
      n++;
    }

    private static boolean fits(long v, int bits) {
      long min = -(1L << (bits - 1));
      long max = (1L << (bits - 1)) - 1;
      return v >= min && v <= max;
    }
  }

  /** Reads what {@link DodEncoder} wrote. */
  static final class DodDecoder {
    private int n;
    private long prev;
    private long prevDelta;

    long next(BitReader in) {
      long value;
      if (n == 0) {
        value = in.readSignedVarint();
      } else if (n == 1) {
        prevDelta = in.readSignedVarint();
        value = prev + prevDelta;
      } else {
        long dod;
        if (!in.readBit()) {
          dod = 0;
        } else if (!in.readBit()) {
          dod = signed(in.read(7), 7);
        } else if (!in.readBit()) {
          dod = signed(in.read(9), 9);
        } else if (!in.readBit()) {
          dod = signed(in.read(12), 12);
        } else if (!in.readBit()) {
          dod = signed(in.read(32), 32);
        } else {
          dod = in.read(64);
        }
        prevDelta += dod;
        value = prev + prevDelta;
      }
      prev = value;
      n++;
      return value;
    }

    private static long signed(long v, int bits) {
      return (v << (64 - bits)) >> (64 - bits);
    }
  }

  /**
   * XOR of doubles: the first value in 64 bits; then {@code 0} for the same value, {@code 10} and
   * the meaningful bits when they fit in the previous leading/trailing-zero window, or {@code 11},
   * 6 bits of leading zeros, 6 bits of length − 1 and the meaningful bits.
   */
  static final class XorEncoder {
    private boolean started;
    private long prev;
    private int leading = -1;
    private int trailing;

    void add(BitWriter out, double value) {
      long bits = Double.doubleToRawLongBits(value);
      if (!started) {
        out.write(bits, 64);
        started = true;
        prev = bits;
        return;
      }
      long xor = bits ^ prev;
      prev = bits;
      if (xor == 0) {
        out.writeBit(false);
        return;
      }
      out.writeBit(true);
      int lead = Long.numberOfLeadingZeros(xor);
      int trail = Long.numberOfTrailingZeros(xor);
      if (lead > 63) {
        lead = 63;
      }
      if (leading >= 0 && lead >= leading && trail >= trailing) {
        out.writeBit(false);
        out.write(xor >>> trailing, 64 - leading - trailing);
      } else {
        out.writeBit(true);
        int length = 64 - lead - trail;
        out.write(lead, 6);
        out.write(length - 1, 6);
        out.write(xor >>> trail, length);
        leading = lead;
        trailing = trail;
      }
    }
  }

  /** Reads what {@link XorEncoder} wrote. */
  static final class XorDecoder {
    private boolean started;
    private long prev;
    private int leading;
    private int trailing;

    double next(BitReader in) {
      if (!started) {
        prev = in.read(64);
        started = true;
        return Double.longBitsToDouble(prev);
      }
      if (in.readBit()) {
        if (in.readBit()) {
          leading = (int) in.read(6);
          int length = (int) in.read(6) + 1;
          trailing = 64 - leading - length;
        }
        int length = 64 - leading - trailing;
        long xor = in.read(length) << trailing;
        prev ^= xor;
      }
      return Double.longBitsToDouble(prev);
    }
  }
}
