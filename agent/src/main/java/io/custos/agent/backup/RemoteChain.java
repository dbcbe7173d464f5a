package io.custos.agent.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Disaster recovery's side of the backup API: choosing a set's chain from the collector's catalog
 * and downloading it with its manifests, so that {@code restore --from} restores exactly as a local
 * chain restore does (every file checked against its manifest's sha256).
 *
 * <p>Order never comes from the node's clock: archives are ranked by when the collector took them
 * (the agent uploads in the order it made them, a base before what depends on it), then every
 * archive is placed after its base ({@link Catalog#chainOrder}). "Newest" is the tip of the newest
 * chain.
 */
public final class RemoteChain {
  private RemoteChain() {}

  /** The collector's store, as the chain needs it. */
  public interface Store {
    /**
     * Downloads {@code object} into {@code target} (which must not exist), checking its sha256
     * against {@code sha256} when not null; a mismatch deletes the file and throws.
     */
    void download(String object, Path target, String sha256) throws IOException;

    /** The sha256 the collector has for {@code object}, empty when it has no such object. */
    Optional<String> sha256(String object) throws IOException;
  }

  /**
   * One archive of the collector's catalog.
   *
   * @param object its object (file) name
   * @param base the object it depends on, null for a full
   * @param size bytes
   * @param sha256 hex, as the collector stored it
   * @param manifest the object name of its manifest, or null
   * @param uploaded when the collector took it, ISO-8601 UTC, or null when unknown
   */
  public record Stored(
      String object, String base, long size, String sha256, String manifest, String uploaded) {}

  /**
   * The archives of {@code set} in {@code catalog} that give the tree at {@code at} ({@link
   * Instant#MAX}: the newest), full first.
   *
   * @throws IllegalStateException naming the set, the time or the missing archive
   */
  public static List<Stored> choose(List<Stored> catalog, String set, Instant at) {
    List<Stored> ofSet = new ArrayList<>();
    for (Stored s : catalog) {
      var name = ArchiveName.tryParse(s.object());
      if (name.isPresent() && name.get().set().equals(set)) {
        ofSet.add(s);
      }
    }
    if (ofSet.isEmpty()) {
      throw new IllegalStateException("the collector has no archives of set " + set);
    }
    ofSet.sort(
        Comparator.comparing(
                (Stored s) -> s.uploaded() == null ? Instant.MIN : Instant.parse(s.uploaded()))
            .thenComparing(s -> ArchiveName.parse(s.object()).created()));
    Map<String, Stored> byName = new HashMap<>();
    List<Catalog.Item> items = new ArrayList<>();
    for (int k = 0; k < ofSet.size(); k++) {
      Stored s = ofSet.get(k);
      byName.put(s.object(), s);
      items.add(
          new Catalog.Item(
              ArchiveName.parse(s.object()), Path.of(s.object()), s.size(), s.base(), true, k + 1));
    }
    List<Stored> chain = new ArrayList<>();
    for (Catalog.Item i : Chains.chainAt(Catalog.chainOrder(items), at)) {
      chain.add(byName.get(i.fileName()));
    }
    return chain;
  }

  /**
   * Downloads each archive of {@code chain} and its manifest into {@code directory}; the archives'
   * paths, full first. A manifest the collector does not have is reported to {@code say} (the
   * restore then has only the codec's checks for that archive).
   */
  public static List<Path> download(
      List<Stored> chain, Store store, Path directory, Consumer<String> say) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Stored s : chain) {
      say.accept("downloading " + s.object() + " (" + Sizes.human(s.size()) + ")");
      Path file = directory.resolve(s.object());
      store.download(s.object(), file, s.sha256());
      if (s.manifest() != null) {
        Optional<String> sha = store.sha256(s.manifest());
        if (sha.isPresent()) {
          store.download(s.manifest(), directory.resolve(s.manifest()), sha.get());
        } else {
          say.accept(
              "warning: the collector has no manifest "
                  + s.manifest()
                  + "; the files of "
                  + s.object()
                  + " are checked by its codec only");
        }
      }
      files.add(file);
    }
    return files;
  }
}
