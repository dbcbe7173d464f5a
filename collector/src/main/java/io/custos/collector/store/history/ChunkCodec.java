package io.custos.collector.store.history;

import java.util.List;

/**
 * Encodes chunks, the unit of metric history on disk. Raw chunk: a varint sample count, then times
 * as delta-of-delta and values as XOR ({@link GorillaStreams}); a steady 10 s series of slowly
 * changing gauges costs 1–2 bytes a sample. Bucket chunk (5-minute and 1-hour tiers): count, then
 * per bucket its start (delta-of-delta), min, max and sum (XOR each) and count (delta-of-delta).
 * The first byte is a format version so the encoding can change without a migration.
 *
 * <p>Decoding a damaged chunk throws {@link IllegalArgumentException}.
 */
public final class ChunkCodec {
  static final int RAW_V1 = 1;
  static final int BUCKETS_V1 = 2;

  private ChunkCodec() {}

  /** Encodes {@code samples} (in time order) as a raw chunk. */
  public static byte[] encodeRaw(Samples samples) {
    BitWriter out = new BitWriter(16 + samples.size() * 2);
    out.write(RAW_V1, 8);
    out.writeVarint(samples.size());
    GorillaStreams.DodEncoder t = new GorillaStreams.DodEncoder();
    GorillaStreams.XorEncoder v = new GorillaStreams.XorEncoder();
    for (int i = 0; i < samples.size(); i++) {
      t.add(out, samples.time(i));
      v.add(out, samples.value(i));
    }
    return out.toByteArray();
  }

  /** Decodes a raw chunk, appending its samples to {@code into}. */
  public static void decodeRaw(byte[] chunk, Samples into) {
    BitReader in = new BitReader(chunk);
    requireFormat(in, RAW_V1);
    long n = in.readVarint();
    GorillaStreams.DodDecoder t = new GorillaStreams.DodDecoder();
    GorillaStreams.XorDecoder v = new GorillaStreams.XorDecoder();
    for (long i = 0; i < n; i++) {
      into.add(t.next(in), v.next(in));
    }
  }

  /** Encodes buckets (in start order) as a bucket chunk. */
  public static byte[] encodeBuckets(List<Bucket> buckets) {
    BitWriter out = new BitWriter(16 + buckets.size() * 6);
    out.write(BUCKETS_V1, 8);
    out.writeVarint(buckets.size());
    GorillaStreams.DodEncoder start = new GorillaStreams.DodEncoder();
    GorillaStreams.XorEncoder min = new GorillaStreams.XorEncoder();
    GorillaStreams.XorEncoder max = new GorillaStreams.XorEncoder();
    GorillaStreams.XorEncoder sum = new GorillaStreams.XorEncoder();
    GorillaStreams.DodEncoder count = new GorillaStreams.DodEncoder();
    for (Bucket b : buckets) {
      start.add(out, b.start());
      min.add(out, b.min());
      max.add(out, b.max());
      sum.add(out, b.sum());
      count.add(out, b.count());
    }
    return out.toByteArray();
  }

  /** Decodes a bucket chunk, appending its buckets to {@code into}. */
  public static void decodeBuckets(byte[] chunk, List<Bucket> into) {
    BitReader in = new BitReader(chunk);
    requireFormat(in, BUCKETS_V1);
    long n = in.readVarint();
    GorillaStreams.DodDecoder start = new GorillaStreams.DodDecoder();
    GorillaStreams.XorDecoder min = new GorillaStreams.XorDecoder();
    GorillaStreams.XorDecoder max = new GorillaStreams.XorDecoder();
    GorillaStreams.XorDecoder sum = new GorillaStreams.XorDecoder();
    GorillaStreams.DodDecoder count = new GorillaStreams.DodDecoder();
    for (long i = 0; i < n; i++) {
      // Evaluation order of the arguments is left to right, matching the writer.
      long s = start.next(in);
      double lo = min.next(in);
      double hi = max.next(in);
      double total = sum.next(in);
      into.add(new Bucket(s, lo, hi, total, count.next(in)));
    }
  }

  private static void requireFormat(BitReader in, int expected) {
    int format = (int) in.read(8);
    if (format != expected) {
      throw new IllegalArgumentException("chunk format " + format + ", expected " + expected);
    }
  }
}
