package io.custos.bench;

import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of the SQLite store's ingest path alone, in one thread: {@code StoreIngestBench [--nodes
 * 16] [--services 50] [--metrics 10] [--warmup 3000] [--reports 3000] [--dir target/bench-store]}.
 * Opens a fresh store, ingests {@code warmup} reports of {@link FakeAgent}s round-robin over the
 * nodes (one transaction and fsync each, no HTTP, no alert engine), then {@code reports} more, and
 * prints the calling thread's CPU time per report (from {@link ThreadMXBean}: unlike wall time and
 * process CPU time, it leaves out the JIT, the GC threads and other processes, so it can be
 * compared between runs on a busy machine) and the wall time.
 */
public final class StoreIngestBench {
  private StoreIngestBench() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args, 0);
    int nodes = a.integer("nodes", 16);
    int services = a.integer("services", 50);
    int metrics = a.integer("metrics", 10);
    int warmup = a.integer("warmup", 3000);
    int reports = a.integer("reports", 3000);
    Path dir = Files.createDirectories(Path.of(a.text("dir", "target/bench-store")));
    Path db = dir.resolve("store.db");
    for (String s : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(db + s));
    }
    List<FakeAgent> agents = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      agents.add(new FakeAgent(String.format("node%03d", i), services, services * metrics, i));
    }
    try (Store store = SqliteStore.open(db, Clock.systemUTC(), new StatePolicy(3, 3))) {
      run(store, agents, warmup);
      long[] m = run(store, agents, reports);
      long samples = m[0];
      long cpu = m[1];
      long wall = m[2];
      System.out.printf(
          "store ingest (sqlite, one thread, %d nodes, %d samples/report): %.3f ms CPU/report"
              + " (%.2f µs/sample), %.3f ms wall/report, %,d reports after %,d warm-up; load"
              + " average %s%n",
          nodes,
          samples / reports,
          cpu / 1e6 / reports,
          cpu / 1e3 / samples,
          wall / 1e6 / reports,
          reports,
          warmup,
          Files.readString(Path.of("/proc/loadavg")).trim());
    }
  }

  /** Ingests {@code reports} reports; returns {samples, thread CPU ns, wall ns} of the ingests. */
  private static long[] run(Store store, List<FakeAgent> agents, int reports) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long samples = 0;
    long cpu = 0;
    long wall = 0;
    int next = 0;
    while (next < reports) {
      // Reports are made outside the timed part, 100 at a time.
      List<Report> chunk = new ArrayList<>();
      for (int i = 0; i < 100 && next < reports; i++, next++) {
        chunk.add(agents.get(next % agents.size()).next(System.currentTimeMillis()));
      }
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      for (Report r : chunk) {
        if (!store.ingest(r).stored()) {
          throw new IllegalStateException("report " + r.node() + " seq " + r.seq() + " not stored");
        }
      }
      cpu += threads.getCurrentThreadCpuTime() - c0;
      wall += System.nanoTime() - w0;
      for (Report r : chunk) {
        for (CheckResult c : r.results()) {
          samples += c.metrics().size();
        }
      }
    }
    return new long[] {samples, cpu, wall};
  }
}
