package io.custos.collector.archive;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The collector's own {@value #SERVICE} service: whether the archive store can be written and how
 * much room its volume has left for uploads.
 *
 * <ul>
 *   <li>CRITICAL when the store cannot be written ({@link ArchiveHealth#problem()}), or when the
 *       volume's free space is at or below {@code backups.reserve}, or below twice the reserve
 *       after an upload was refused for it (uploads are refused with 507);
 *   <li>WARNING when it is below twice the reserve;
 *   <li>else OK: {@code ARCHIVE STORE OK - 120.3 GiB free of 500.0 GiB (reserve 2.0 GiB, uploads
 *       refused below it), 41.0 GiB in archives}.
 * </ul>
 *
 * Metrics (bytes): {@code archive_store_free_bytes}, {@code archive_store_size_bytes} (the volume)
 * and {@code archive_store_archives_bytes}.
 */
public final class ArchiveSpaceCheck {
  /** {@code 512 B}, {@code 78.2 GiB}: binary units, one decimal. */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[i]);
  }

  /** The service's name. */
  public static final String SERVICE = "Archive store";

  private ArchiveSpaceCheck() {}

  /** Probes {@code store} and reads its volume; a check result at {@code now} (epoch ms). */
  public static CheckResult run(ArchiveStore store, long now) {
    store.health().probe();
    ArchiveStore.Space space;
    try {
      space = store.space();
    } catch (IOException e) {
      return new CheckResult(
          SERVICE,
          "archive-store",
          Status.CRITICAL,
          "ARCHIVE STORE CRITICAL - cannot read the volume of "
              + store.root()
              + ": "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          null,
          now,
          List.of());
    }
    return result(store.health().problem(), space, store.reserve(), store.reserveRefused(), now);
  }

  /** The result for a store at {@code root} with {@code problem} (or null) and {@code space}. */
  static CheckResult result(
      String problem, ArchiveStore.Space space, long reserve, boolean refused, long now) {
    Status status;
    String why;
    if (problem != null) {
      status = Status.CRITICAL;
      why = problem + "; ";
    } else if (space.free() <= reserve || (refused && space.free() < 2 * reserve)) {
      status = Status.CRITICAL;
      why = "uploads are refused (507): ";
    } else if (space.free() < 2 * reserve) {
      status = Status.WARNING;
      why = "uploads will be refused soon: ";
    } else {
      status = Status.OK;
      why = "";
    }
    String output =
        "ARCHIVE STORE "
            + status
            + " - "
            + why
            + human(space.free())
            + " free of "
            + human(space.total())
            + " (reserve "
            + human(reserve)
            + ", uploads refused below it), "
            + human(space.archives())
            + " in archives";
    return new CheckResult(
        SERVICE,
        "archive-store",
        status,
        output,
        null,
        now,
        List.of(
            Metric.of("archive_store_free_bytes", Map.of(), space.free(), "B"),
            Metric.of("archive_store_size_bytes", Map.of(), space.total(), "B"),
            Metric.of("archive_store_archives_bytes", Map.of(), space.archives(), "B")));
  }
}
