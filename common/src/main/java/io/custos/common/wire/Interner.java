package io.custos.common.wire;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded canonicalising map for strings that repeat in every report (metric names, units, label
 * values, service names), so that a collector decoding thousands of reports a second keeps one copy
 * of each instead of one per report. Once full it stops adding and returns strings as given; it
 * never evicts, so a flood of distinct names costs at most {@code capacity} entries. Thread-safe.
 */
final class Interner {
  /** Longer strings are rarely names and not worth keeping. */
  private static final int MAX_LENGTH = 128;

  private final int capacity;
  private final ConcurrentHashMap<String, String> strings;

  Interner(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
    }
    this.capacity = capacity;
    this.strings = new ConcurrentHashMap<>();
  }

  /** The canonical instance equal to {@code s}, or {@code s} itself. */
  String intern(String s) {
    String canonical = strings.get(s);
    if (canonical != null) {
      return canonical;
    }
    if (s.length() > MAX_LENGTH || strings.size() >= capacity) {
      return s;
    }
    canonical = strings.putIfAbsent(s, s);
    return canonical == null ? s : canonical;
  }
}
