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
  /** Reads what an operator reads (the wall screen's kiosk token); changes nothing. */
  VIEWER,
  /**
   * Lists and downloads nodes' backup archives (disaster recovery on a fresh machine); reads
   * nothing else and cannot act on alerts.
   */
  RESTORE;

  /** The lower-case name used in the database, on the command line and in tokens. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a role id ({@code node|operator|admin|viewer|restore}), naming the accepted values on
   * error.
   */
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.id().equals(text)) {
        return r;
      }
    }
    StringBuilder ids = new StringBuilder();
    for (Role r : values()) {
      ids.append(ids.length() == 0 ? "" : "|").append(r.id());
    }
    throw new IllegalArgumentException("expected " + ids + ", got \"" + text + "\"");
  }

  /** True for roles that may read state through the API. */
  public boolean canRead() {
    return this == OPERATOR || this == ADMIN || this == VIEWER;
  }

  /** True for roles that may change state: acknowledge, schedule downtime. */
  public boolean canOperate() {
    return this == OPERATOR || this == ADMIN;
  }
}
