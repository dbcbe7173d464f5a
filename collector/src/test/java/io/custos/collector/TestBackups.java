package io.custos.collector;

import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.util.List;

/** Builds reports carrying backup runs for tests. */
public final class TestBackups {
  private TestBackups() {}

  /** A report with no check results and these backup runs. */
  public static Report report(String node, long seq, long time, BackupEvent... backups) {
    return new Report(
        Report.VERSION,
        node,
        "custos-agent/0.1.0",
        seq,
        time,
        30,
        List.of("web"),
        List.of(),
        List.of(backups));
  }

  /** A successful run of {@code set} that took 18.5 s, archive named as the agent names it. */
  public static BackupEvent ok(String node, String set, String level, long started) {
    return new BackupEvent(
        set,
        level,
        node + "." + set + "." + started + "." + level + ".tar.zst",
        Status.OK,
        261_711_066,
        78_020,
        started,
        started + 18_520,
        "");
  }

  /** A run of {@code set} that failed before naming an archive. */
  public static BackupEvent failed(String set, long started, String message) {
    return new BackupEvent(
        set, "incr", null, Status.CRITICAL, 0, 0, started, started + 2_000, message);
  }
}
