package io.custos.collector.store.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
  static final long T0 = 1_795_783_507_000L;

  static Samples roundTrip(Samples in) {
    Samples out = new Samples(in.size());
    ChunkCodec.decodeRaw(ChunkCodec.encodeRaw(in), out);
    return out;
  }

  static void assertSame(Samples a, Samples b) {
    assertThat(b.size()).isEqualTo(a.size());
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.time(i)).as("time %d", i).isEqualTo(a.time(i));
      assertThat(Double.doubleToRawLongBits(b.value(i)))
          .as("value %d", i)
          .isEqualTo(Double.doubleToRawLongBits(a.value(i)));
    }
  }

  @Test
  void randomSamplesRoundTripBitExactly() {
    Random r = new Random(42);
    for (int round = 0; round < 200; round++) {
      Samples s = new Samples(8);
      long t = r.nextLong() >> r.nextInt(64);
      int n = r.nextInt(300);
      for (int i = 0; i < n; i++) {
        t +=
            switch (r.nextInt(4)) {
              case 0 -> 10_000;
              case 1 -> 10_000 + r.nextInt(50) - 25;
              case 2 -> r.nextInt(5_000_000);
              default -> (long) r.nextInt() * r.nextInt(1000);
            };
        double v =
            switch (r.nextInt(5)) {
              case 0 -> 42.0;
              case 1 -> r.nextGaussian() * 1e9;
              case 2 -> Double.longBitsToDouble(r.nextLong());
              case 3 -> -0.0;
              default -> Math.round(r.nextDouble() * 1000) / 10.0;
            };
        if (Double.isNaN(v)) {
          v = 1;
        }
        s.add(t, v);
      }
      assertSame(s, roundTrip(s));
    }
  }

  @Test
  void extremesRoundTrip() {
    Samples s = new Samples(4);
    s.add(Long.MIN_VALUE / 2, Double.MAX_VALUE);
    s.add(Long.MAX_VALUE / 2, Double.MIN_VALUE);
    s.add(Long.MAX_VALUE / 2 + 1, -Double.MAX_VALUE);
    s.add(0, 0);
    assertSame(s, roundTrip(s));
  }

  @Test
  void aSteadyGaugeCostsUnderHalfAByteASample() {
    Samples s = new Samples(120);
    for (int i = 0; i < 120; i++) {
      s.add(T0 + i * 10_000L, 30.5);
    }
    assertThat(ChunkCodec.encodeRaw(s).length).isLessThan(60);
  }

  @Test
  void bucketsRoundTrip() {
    List<Bucket> in = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      in.add(new Bucket(T0 + i * 300_000L, i, i * 2.5, i * 31.0, 30 + (i % 3)));
    }
    List<Bucket> out = new ArrayList<>();
    ChunkCodec.decodeBuckets(ChunkCodec.encodeBuckets(in), out);
    assertThat(out).isEqualTo(in);
  }

  @Test
  void aTruncatedChunkIsRefused() {
    Samples s = new Samples(4);
    s.add(T0, 1.5);
    s.add(T0 + 10_000, 2.5);
    byte[] chunk = ChunkCodec.encodeRaw(s);
    byte[] cut = java.util.Arrays.copyOf(chunk, 4);
    assertThatThrownBy(() -> ChunkCodec.decodeRaw(cut, new Samples(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunk ends");
    assertThatThrownBy(() -> ChunkCodec.decodeBuckets(chunk, new ArrayList<>()))
        .hasMessageContaining("chunk format 1, expected 2");
  }

  @Test
  void headBlobsRoundTrip() {
    HeadCodec.Writer w = new HeadCodec.Writer(T0, 3);
    w.add(1, T0 - 5, 1.5);
    w.add(300_000, T0 + 70_000, -2);
    w.add(7, T0, 0);
    List<String> got = new ArrayList<>();
    HeadCodec.decode(w.toByteArray(), T0, (id, t, v) -> got.add(id + "@" + (t - T0) + "=" + v));
    assertThat(got).containsExactly("1@-5=1.5", "300000@70000=-2.0", "7@0=0.0");
  }

  @Test
  void samplesSortAndDropDuplicateTimes() {
    Samples s = new Samples(2);
    s.add(3, 3);
    s.add(1, 1);
    s.add(3, 4);
    s.add(2, 2);
    s.sorted();
    assertThat(s.size()).isEqualTo(3);
    assertThat(new long[] {s.time(0), s.time(1), s.time(2)}).containsExactly(1, 2, 3);
  }
}
