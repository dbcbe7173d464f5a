package io.custos.agent.backup;

import java.io.IOException;

/**
 * An archive entry refused because restoring it could touch something outside the target directory:
 * an absolute name, a {@code ..} component, a link pointing out, or a path through a symbolic link.
 * The restore stops; nothing outside the target has been written.
 */
public final class UnsafeEntryException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String entry;

  UnsafeEntryException(String entry, String reason) {
    super("entry '" + entry + "' refused: " + reason);
    this.entry = entry;
  }

  /** The entry's name as stored in the archive. */
  public String entry() {
    return entry;
  }
}
