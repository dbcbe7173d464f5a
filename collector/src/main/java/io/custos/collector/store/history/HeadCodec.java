package io.custos.collector.store.history;

/**
 * The samples of one report as one blob of the head table: per sample a varint series id, a signed
 * varint time offset from the row's time, and the value's 8 bytes. One row per report instead of
 * one per sample keeps ingest at one insert; compaction later moves the samples into per-series
 * chunks.
 */
final class HeadCodec {
  private HeadCodec() {}

  /** A decoded head sample. */
  interface Sink {
    void accept(long seriesId, long time, double value);
  }

  static final class Writer {
    private final BitWriter out;
    private final long base;

    Writer(long base, int samples) {
      this.base = base;
      this.out = new BitWriter(samples * 12 + 8);
    }

    void add(long seriesId, long time, double value) {
      out.writeVarint(seriesId);
      out.writeSignedVarint(time - base);
      out.write(Double.doubleToRawLongBits(value), 64);
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  static void decode(byte[] blob, long base, Sink sink) {
    BitReader in = new BitReader(blob);
    long bits = blob.length * 8L;
    long read = 0;
    // Each sample is at least 8 + 8 + 64 bits; trailing padding is under a byte.
    while (bits - read >= 80) {
      long id = in.readVarint();
      long t = base + in.readSignedVarint();
      double v = Double.longBitsToDouble(in.read(64));
      sink.accept(id, t, v);
      read = in.position();
    }
  }
}
