package io.custos.collector.store;

import java.util.Locale;

/** What a token may do. */
public enum Role {
  /** Posts reports for one node only. */
  NODE,
  /** Reads everything and acknowledges problems. */
  OPERATOR,
  /** Operator, plus downloading backup archives. */
  ADMIN,
  /**
   * Lists and downloads nodes' backup archives (disaster recovery on a fresh machine); reads
   * nothing else and cannot act on alerts.
   */
  RESTORE;

  /** The lower-case name used in the database, on the command line and in tokens. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code node|operator|admin|restore}, naming the accepted values on error. */
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.id().equals(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "expected node|operator|admin|restore, got \"" + text + "\"");
  }

  /** True for roles that may read state through the API. */
  public boolean canRead() {
    return this == OPERATOR || this == ADMIN;
  }
}
