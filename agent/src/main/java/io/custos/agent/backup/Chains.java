package io.custos.agent.backup;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure chain logic over a {@link Catalog} listing: which base a new archive gets, and which
 * archives restore the tree as it was at a given time.
 *
 * <p>A differential's base is the last full; an incremental's the previous archive of any level. A
 * diff or incr asked for when the set has no full yet becomes a full, and {@link Plan#note} says
 * so. A chain is followed through the {@code base} each manifest records, not guessed from names,
 * so a chain with a missing archive is reported rather than restored wrongly.
 */
public final class Chains {
  private Chains() {}

  /**
   * What a run will make.
   *
   * @param level the level it will have
   * @param base the archive it is relative to, null for a full
   * @param note why the level differs from the one asked for, or empty
   */
  public record Plan(Level level, Catalog.Item base, String note) {}

  /**
   * Decides the level and base of a new archive of a set given its archives in chain order ({@link
   * Catalog#list}): an incremental's base is the last of them, whatever its stamp.
   */
  public static Plan plan(Level requested, List<Catalog.Item> archives) {
    if (requested == Level.FULL) {
      return new Plan(Level.FULL, null, "");
    }
    Catalog.Item lastFull = null;
    for (Catalog.Item i : archives) {
      if (i.level() == Level.FULL && i.manifestOk()) {
        lastFull = i;
      }
    }
    if (lastFull == null) {
      return new Plan(
          Level.FULL,
          null,
          "no full archive yet, so this " + requested.token() + " backup is made as a full");
    }
    if (requested == Level.DIFF) {
      return new Plan(Level.DIFF, lastFull, "");
    }
    Catalog.Item previous = archives.get(archives.size() - 1);
    if (!previous.manifestOk()) {
      previous = lastFull;
    }
    return new Plan(Level.INCR, previous, "");
  }

  /**
   * The archives to restore, in order, for the tree as it was at {@code at}: the last archive in
   * chain order ({@link Catalog#list}) stamped at or before {@code at} and, through the bases in
   * the manifests, back to its full. With {@link Instant#MAX} that is the tip of the newest chain,
   * whatever the stamps say.
   *
   * @throws IllegalStateException naming the time or the missing archive when there is no chain
   */
  public static List<Catalog.Item> chainAt(List<Catalog.Item> archives, Instant at) {
    Catalog.Item last = null;
    for (Catalog.Item i : archives) {
      if (!i.created().isAfter(at)) {
        last = i;
      }
    }
    if (last == null) {
      throw new IllegalStateException("no archive made at or before " + at);
    }
    return chainOf(archives, last);
  }

  /** {@code last} and the archives it depends on, full first. */
  public static List<Catalog.Item> chainOf(List<Catalog.Item> archives, Catalog.Item last) {
    Map<String, Catalog.Item> byName = byName(archives);
    Deque<Catalog.Item> chain = new ArrayDeque<>();
    Catalog.Item cur = last;
    while (true) {
      if (!cur.manifestOk()) {
        throw new IllegalStateException(
            "the manifest of " + cur.fileName() + " is missing or unreadable");
      }
      chain.addFirst(cur);
      if (cur.level() == Level.FULL) {
        return List.copyOf(chain);
      }
      Catalog.Item base = byName.get(cur.base());
      if (base == null) {
        throw new IllegalStateException(
            "chain broken: " + cur.fileName() + " needs " + cur.base() + ", which is missing");
      }
      if (chain.size() > archives.size()) {
        throw new IllegalStateException("chain of " + last.fileName() + " has a cycle");
      }
      cur = base;
    }
  }

  /** The archive that {@code item} depends on directly, if present. */
  static Optional<Catalog.Item> baseOf(Map<String, Catalog.Item> byName, Catalog.Item item) {
    return item.base() == null ? Optional.empty() : Optional.ofNullable(byName.get(item.base()));
  }

  static Map<String, Catalog.Item> byName(List<Catalog.Item> archives) {
    Map<String, Catalog.Item> m = new HashMap<>();
    for (Catalog.Item i : archives) {
      m.put(i.fileName(), i);
    }
    return m;
  }
}
