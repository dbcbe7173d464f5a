package io.custos.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Deletes pruned archives: the manifest last, so an archive never exists without one. */
public final class Prune {
  private Prune() {}

  /**
   * Applies {@code set}'s retention ({@code keep}, or {@code keep_local} on the node) to its
   * archives by {@code node} in {@code directory}, in chain order ({@link Catalog#list}), never
   * deleting an archive in {@code pinned} (not yet uploaded) or one a kept archive depends on. The
   * daemon after each run and {@code backup prune} both come here.
   *
   * @param dryRun decide only, delete nothing
   * @return the archives deleted (or that would be), oldest first
   */
  public static List<Catalog.Item> apply(
      Path directory,
      String node,
      BackupSetConfig set,
      Instant now,
      Set<String> pinned,
      boolean dryRun)
      throws IOException {
    Retention.Decision d =
        Retention.decide(
            Catalog.list(directory, node, set.name()), set.keep(), set.keepLocal(), now, pinned);
    if (!dryRun) {
      for (Catalog.Item i : d.delete()) {
        delete(i);
      }
    }
    return d.delete();
  }

  /** Deletes {@code item}'s archive and then its manifests (the encrypted one, then the clear). */
  public static void delete(Catalog.Item item) throws IOException {
    Files.deleteIfExists(item.file());
    Files.deleteIfExists(Manifest.sealedFileFor(item.file()));
    Files.deleteIfExists(Manifest.fileFor(item.file()));
  }
}
