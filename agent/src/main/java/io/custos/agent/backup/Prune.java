package io.custos.agent.backup;

import java.io.IOException;
import java.nio.file.Files;

/** Deletes pruned archives: the manifest last, so an archive never exists without one. */
public final class Prune {
  private Prune() {}

  /** Deletes {@code item}'s archive and then its manifests (the encrypted one, then the clear). */
  public static void delete(Catalog.Item item) throws IOException {
    Files.deleteIfExists(item.file());
    Files.deleteIfExists(Manifest.sealedFileFor(item.file()));
    Files.deleteIfExists(Manifest.fileFor(item.file()));
  }
}
