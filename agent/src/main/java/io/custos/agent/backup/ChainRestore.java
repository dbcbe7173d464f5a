package io.custos.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code custos-agent restore} does, without the command line: which archives make the tree
 * asked for, in which order, and restoring them. The command keeps its options and its printing.
 *
 * <ul>
 *   <li>{@link #ofSet}: a set's chain for a time from the backup directory, in chain order ({@link
 *       Catalog}), never by the node's clock;
 *   <li>{@link #endingIn}: the chain that ends in one of our archives (through the bases its
 *       manifests name), or the archives given, in the order given, for a foreign chain (GNU tar's
 *       {@code -g} levels 0, 1, ...);
 *   <li>{@link #restore}: one foreign archive as {@code tar -x} would, anything else as {@code tar
 *       -G -x} applies a chain, each file checked as {@link Restorer} says.
 * </ul>
 */
public final class ChainRestore {
  private ChainRestore() {}

  /**
   * The archives of {@code set} by {@code node} in {@code directory} that give the tree as it was
   * at {@code at} ({@link Instant#MAX} for the newest: the tip of the newest chain), full first.
   *
   * @throws IllegalStateException naming the set, the time or the missing archive when there is no
   *     such chain
   */
  public static List<Path> ofSet(
      Path directory, String node, String set, Instant at, Age.Identities identities)
      throws IOException {
    List<Catalog.Item> items = Catalog.list(directory, node, set, identities);
    if (items.isEmpty()) {
      throw new IllegalStateException("no archives of set " + set + " in " + directory);
    }
    List<Path> chain = new ArrayList<>();
    for (Catalog.Item i : Chains.chainAt(items, at)) {
      chain.add(i.file());
    }
    return chain;
  }

  /**
   * The chain to restore for {@code archives} as given on the command line: for one of our archives
   * (named as we name them, with its manifest) the chain that ends in it, full first; otherwise the
   * archives themselves in the order given (one foreign archive, or a foreign chain level 0 first).
   *
   * @throws java.nio.file.NoSuchFileException naming an archive that is not a regular file
   * @throws IllegalStateException when the chain of one of ours is broken
   */
  public static List<Path> endingIn(List<Path> archives, Age.Identities identities)
      throws IOException {
    for (Path a : archives) {
      if (!Files.isRegularFile(a)) {
        throw new java.nio.file.NoSuchFileException(a.toString(), null, "no such archive");
      }
    }
    if (archives.size() > 1) {
      return List.copyOf(archives);
    }
    Path a = archives.get(0);
    var name = ArchiveName.tryParse(a.getFileName().toString());
    if (name.isEmpty() || !hasManifest(a)) {
      return List.of(a);
    }
    List<Catalog.Item> items =
        Catalog.list(
            a.toAbsolutePath().getParent(), name.get().node(), name.get().set(), identities);
    Catalog.Item last =
        items.stream()
            .filter(i -> i.fileName().equals(a.getFileName().toString()))
            .findFirst()
            .orElseThrow();
    List<Path> chain = new ArrayList<>();
    for (Catalog.Item i : Chains.chainOf(items, last)) {
      chain.add(i.file());
    }
    return chain;
  }

  /** Whether {@code archive} has its manifest beside it, clear or sealed. */
  public static boolean hasManifest(Path archive) {
    return Files.exists(Manifest.fileFor(archive)) || Files.exists(Manifest.sealedFileFor(archive));
  }

  /**
   * Restores {@code chain} into {@code target}: a lone foreign archive as {@code tar -x} (its
   * dumpdirs, if any, not applied); otherwise as a chain, each archive's dumpdirs applied as {@code
   * tar -G -x} applies them.
   *
   * @param ofSet whether the chain was chosen for a set (always restored as a chain)
   */
  public static RestoreResult restore(
      List<Path> chain,
      boolean ofSet,
      Path target,
      RestoreOptions options,
      Progress progress,
      Age.Identities identities)
      throws IOException {
    Restorer restorer = new Restorer(options, progress, identities);
    return chain.size() == 1 && !ofSet && !hasManifest(chain.get(0))
        ? restorer.restore(chain.get(0), target)
        : restorer.restoreChain(chain, target);
  }

  /** Content bytes the chain holds, from the manifests; -1 when unknown (a foreign archive). */
  public static long totalBytes(List<Path> chain) {
    long total = 0;
    for (Path a : chain) {
      try {
        for (Manifest.Entry e : Manifest.read(Manifest.fileFor(a)).entries()) {
          if (e.inArchive() && "file".equals(e.type())) {
            total += e.size();
          }
        }
      } catch (IOException e) {
        return -1;
      }
    }
    return total;
  }
}
