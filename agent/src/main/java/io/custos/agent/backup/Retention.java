package io.custos.agent.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which archives of one set retention deletes (pure; time comes in as {@code now}).
 *
 * <p>Kept: every archive younger than {@code keep.days}; the newest {@code keep.count}; always the
 * newest archive, so a set whose backups stopped is never emptied by age alone; and, transitively,
 * every archive a kept one depends on (its base, its base's base, ... up to the full), so a kept
 * archive can always be restored. An archive whose manifest is unreadable is kept, and so is
 * everything older than it in the set, since what depends on what can no longer be known. On the
 * node, {@code keep_local} replaces the age and count rules by a number of chains, and an archive
 * not yet uploaded is never deleted.
 */
public final class Retention {
  private Retention() {}

  /**
   * The decision.
   *
   * @param keep archives kept, oldest first
   * @param delete archives to delete, oldest first
   */
  public record Decision(List<Catalog.Item> keep, List<Catalog.Item> delete) {}

  /** Decides for the archives of one set, oldest first. */
  public static Decision decide(
      List<Catalog.Item> archives, BackupSetConfig.Keep keep, Instant now) {
    return decide(archives, keep, null, now, Set.of());
  }

  /**
   * Decides for the archives of one set, oldest first, on the node: with {@code keepLocal} (a
   * number of chains) the archives from the {@code keepLocal}-th newest full on are kept instead of
   * applying {@code keep}; archives named in {@code pinned} (not yet uploaded) are always kept, and
   * what they depend on.
   */
  public static Decision decide(
      List<Catalog.Item> archives,
      BackupSetConfig.Keep keep,
      Integer keepLocal,
      Instant now,
      Set<String> pinned) {
    Set<String> kept = new HashSet<>();
    int n = archives.size();
    if (keepLocal != null) {
      int fulls = 0;
      int from = 0;
      for (int i = n - 1; i >= 0; i--) {
        if (archives.get(i).level() == Level.FULL && ++fulls == keepLocal) {
          from = i;
          break;
        }
      }
      for (int i = Math.min(from, Math.max(n - 1, 0)); i < n; i++) {
        kept.add(archives.get(i).fileName());
      }
    } else {
      Instant cutoff = now.minus(Duration.ofDays(keep.days()));
      for (int i = 0; i < n; i++) {
        Catalog.Item a = archives.get(i);
        boolean young = keep.days() > 0 && a.created().isAfter(cutoff);
        boolean newest = i >= n - Math.max(1, keep.count());
        if (young || newest) {
          kept.add(a.fileName());
        }
      }
    }
    for (Catalog.Item a : archives) {
      if (pinned.contains(a.fileName())) {
        kept.add(a.fileName());
      }
    }
    int lastBroken = -1;
    for (int i = 0; i < n; i++) {
      if (!archives.get(i).manifestOk()) {
        lastBroken = i;
      }
    }
    for (int i = 0; i <= lastBroken; i++) {
      kept.add(archives.get(i).fileName());
    }
    Map<String, Catalog.Item> byName = Chains.byName(archives);
    // Close over the bases until nothing new is kept.
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Catalog.Item a : archives) {
        if (kept.contains(a.fileName())) {
          Optional<Catalog.Item> base = Chains.baseOf(byName, a);
          if (base.isPresent() && kept.add(base.get().fileName())) {
            grew = true;
          }
        }
      }
    }
    List<Catalog.Item> k = new ArrayList<>();
    List<Catalog.Item> d = new ArrayList<>();
    for (Catalog.Item a : archives) {
      (kept.contains(a.fileName()) ? k : d).add(a);
    }
    return new Decision(k, d);
  }
}
