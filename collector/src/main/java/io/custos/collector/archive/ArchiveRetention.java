package io.custos.collector.archive;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of the archive store, per node and set, from the index alone (level, base, creation
 * time; never a name inside an archive):
 *
 * <ul>
 *   <li>an archive created within {@code days} is kept;
 *   <li>the newest {@code minFull} fulls are kept, with every archive depending on them; newest by
 *       when the collector took them (the agent uploads in the order it made them), not by the
 *       node's stamp, which a clock stepping back on the node makes older than an older chain's;
 *   <li>an archive a kept archive depends on ({@code base}, transitively) is kept, so a chain full
 *       → diff/incr is never cut;
 *   <li>everything else is deleted, with its manifest; a manifest no archive names is deleted once
 *       older than {@code days}.
 * </ul>
 *
 * Each deletion is reported to the {@link Journal} (the collector records it in the node's event
 * history). A failure on one node is logged and the others are still done.
 */
public final class ArchiveRetention {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveRetention.class);

  /** Where deletions are recorded. */
  @FunctionalInterface
  public interface Journal {
    /**
     * @param node the node
     * @param set the archive's set, or null for a manifest without archive
     * @param object the deleted object
     * @param why a sentence for the event history
     */
    void deleted(String node, String set, String object, String why);
  }

  private final ArchiveStore store;
  private final int days;
  private final int minFull;
  private final Clock clock;
  private final Journal journal;

  /**
   * @param days keep archives created within this many days
   * @param minFull keep at least this many fulls (with their chains) per node and set
   */
  public ArchiveRetention(ArchiveStore store, int days, int minFull, Clock clock, Journal journal) {
    this.store = store;
    this.days = days;
    this.minFull = minFull;
    this.clock = clock;
    this.journal = journal;
  }

  /**
   * Applies retention to every node.
   *
   * @return the objects deleted, as {@code node/object}
   */
  public List<String> run() {
    List<String> deleted = new ArrayList<>();
    List<String> nodes;
    try {
      nodes = store.nodes();
    } catch (IOException e) {
      LOG.warn("archive retention: cannot list {}: {}", store.root(), e.getMessage());
      return deleted;
    }
    for (String node : nodes) {
      try {
        deleted.addAll(run(node));
      } catch (ArchiveException | IOException | RuntimeException e) {
        LOG.warn("archive retention of node {} failed: {}", node, e.getMessage(), e);
      }
    }
    return deleted;
  }

  private List<String> run(String node) throws ArchiveException, IOException {
    Instant cutoff = clock.instant().minus(Duration.ofDays(days));
    List<ArchiveIndex> all = store.objects(node);
    Map<String, ArchiveIndex> byName = new HashMap<>();
    Map<String, List<ArchiveIndex>> bySet = new LinkedHashMap<>();
    for (ArchiveIndex a : all) {
      byName.put(a.object(), a);
      if (a.isArchive()) {
        bySet.computeIfAbsent(a.set(), s -> new ArrayList<>()).add(a);
      }
    }
    Set<String> keep = new HashSet<>();
    for (List<ArchiveIndex> archives : bySet.values()) {
      keep.addAll(kept(archives, cutoff));
    }
    List<String> deleted = new ArrayList<>();
    Set<String> manifestsKept = new HashSet<>();
    for (ArchiveIndex a : all) {
      if (a.isArchive() && keep.contains(a.object()) && a.manifest() != null) {
        manifestsKept.add(a.manifest());
      }
    }
    // Newest first (objects() order): a dependent goes before what it depends on.
    for (ArchiveIndex a : all) {
      if (!a.isArchive() || keep.contains(a.object())) {
        continue;
      }
      store.delete(node, a.object());
      journal.deleted(
          node,
          a.set(),
          a.object(),
          "retention deleted archive "
              + a.object()
              + " ("
              + a.level()
              + ", created "
              + a.created()
              + ", "
              + a.size()
              + " bytes): older than "
              + days
              + " days and no kept archive depends on it");
      deleted.add(node + "/" + a.object());
      ArchiveIndex m = a.manifest() == null ? null : byName.get(a.manifest());
      if (m != null && !m.isArchive() && !manifestsKept.contains(m.object())) {
        store.delete(node, m.object());
        deleted.add(node + "/" + m.object());
        byName.remove(m.object());
      }
    }
    for (ArchiveIndex m : all) {
      if (!m.isArchive()
          && byName.containsKey(m.object())
          && !manifestsKept.contains(m.object())
          && !referenced(all, m.object())
          && m.createdInstant().isBefore(cutoff)) {
        store.delete(node, m.object());
        journal.deleted(
            node,
            null,
            m.object(),
            "retention deleted manifest " + m.object() + ": no archive names it");
        deleted.add(node + "/" + m.object());
      }
    }
    if (!deleted.isEmpty()) {
      LOG.info("archive retention: node {}: deleted {}", node, deleted);
    }
    return deleted;
  }

  private static boolean referenced(List<ArchiveIndex> all, String manifest) {
    for (ArchiveIndex a : all) {
      if (manifest.equals(a.manifest())) {
        return true;
      }
    }
    return false;
  }

  /** The archives of one set to keep. */
  private Set<String> kept(List<ArchiveIndex> archives, Instant cutoff) {
    Map<String, ArchiveIndex> byName = new HashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    for (ArchiveIndex a : archives) {
      byName.put(a.object(), a);
      if (a.base() != null) {
        dependents.computeIfAbsent(a.base(), b -> new ArrayList<>()).add(a.object());
      }
    }
    Set<String> keep = new HashSet<>();
    for (ArchiveIndex a : archives) {
      if (!a.createdInstant().isBefore(cutoff)) {
        keep.add(a.object());
      }
    }
    List<ArchiveIndex> fulls = new ArrayList<>();
    for (ArchiveIndex a : archives) {
      if (a.level().equals("full")) {
        fulls.add(a);
      }
    }
    fulls.sort(
        Comparator.comparing((ArchiveIndex a) -> Instant.parse(a.uploaded()))
            .thenComparing(ArchiveIndex::createdInstant)
            .reversed());
    ArrayDeque<String> todo = new ArrayDeque<>();
    for (ArchiveIndex f : fulls.subList(0, Math.min(minFull, fulls.size()))) {
      todo.add(f.object());
    }
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String n = todo.poll();
      if (seen.add(n)) {
        keep.add(n);
        todo.addAll(dependents.getOrDefault(n, List.of()));
      }
    }
    // Whatever is kept keeps its whole chain back to its full.
    for (String k : new ArrayList<>(keep)) {
      ArchiveIndex a = byName.get(k);
      while (a != null && a.base() != null && byName.containsKey(a.base())) {
        if (!keep.add(a.base())) {
          break;
        }
        a = byName.get(a.base());
      }
    }
    return keep;
  }
}
