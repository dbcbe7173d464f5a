package io.custos.agent.backup;

import java.util.Locale;

/**
 * The level of an archive in a chain. A full archive holds everything; a differential one what
 * changed since the last full; an incremental one what changed since the previous archive of any
 * level. Which base an archive is compared with is the caller's choice (it passes that archive's
 * {@link Manifest}); the level is recorded in the name and the manifest.
 */
public enum Level {
  FULL,
  DIFF,
  INCR;

  /** The token used in archive names and {@code agent.yml}: {@code full | diff | incr}. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code full | diff | incr}.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static Level fromToken(String token) {
    for (Level l : values()) {
      if (l.token().equals(token)) {
        return l;
      }
    }
    throw new IllegalArgumentException("level: expected full|diff|incr, got \"" + token + "\"");
  }
}
