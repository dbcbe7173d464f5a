package io.custos.bench;

import io.custos.common.wire.Report;
import io.custos.common.wire.WireCodec;

/**
 * Decode throughput of {@link WireCodec} in one thread, without HTTP or a store: {@code
 * LoadGenerator decode [--seconds 20] [--warmup 10] [--checks 30] [--metrics 200]}. Decodes the
 * same agent-shaped reports as {@code ingest} (64 agents, 8 reports each, JSON as the agent sends
 * it) round-robin and prints MB/s of JSON, microseconds and allocated bytes per report.
 */
final class DecodeBench {
  private DecodeBench() {}

  static void run(Args a) {
    int seconds = a.integer("seconds", 20);
    int warmup = a.integer("warmup", 10);
    int checks = a.integer("checks", 30);
    int metrics = a.integer("metrics", 200);
    WireCodec codec = new WireCodec();
    byte[][] bodies = new byte[512][];
    long total = 0;
    for (int agent = 0; agent < 64; agent++) {
      FakeAgent fake = new FakeAgent("host" + agent, checks, metrics, agent);
      for (int r = 0; r < 8; r++) {
        bodies[agent * 8 + r] = codec.encode(fake.next(1_795_783_500_000L + r * 10_000L));
        total += bodies[agent * 8 + r].length;
      }
    }
    System.out.printf(
        "decode: %d reports, mean %,d bytes of JSON, %d checks, %d metrics each; decoder %s%n",
        bodies.length, total / bodies.length, checks, metrics, codec.getClass().getName());
    loop(codec, bodies, warmup * 1_000_000_000L);
    var threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long allocated = threads.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    long[] done = loop(codec, bodies, seconds * 1_000_000_000L);
    double elapsed = (System.nanoTime() - start) / 1e9;
    allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
    System.out.printf(
        "decode: %,d reports in %.1f s: %.1f µs/report, %.1f MB/s of JSON, %,d reports/s"
            + " (%,.0f samples/s), %,d bytes allocated/report%n",
        done[0],
        elapsed,
        elapsed * 1e6 / done[0],
        done[1] / elapsed / 1e6,
        (long) (done[0] / elapsed),
        done[0] * (double) metrics / elapsed,
        allocated / done[0]);
  }

  /** Decodes round-robin for {@code nanos}; returns reports and bytes decoded. */
  private static long[] loop(WireCodec codec, byte[][] bodies, long nanos) {
    long reports = 0;
    long bytes = 0;
    long sink = 0;
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 64; i++) {
        byte[] body = bodies[(int) (reports % bodies.length)];
        Report r = codec.decode(body);
        sink += r.results().size();
        bytes += body.length;
        reports++;
      }
    }
    if (sink == 42) {
      System.out.println(); // keeps the decodes from being optimised away
    }
    return new long[] {reports, bytes};
  }
}
