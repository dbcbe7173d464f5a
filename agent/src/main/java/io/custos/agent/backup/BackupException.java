package io.custos.agent.backup;

import java.io.IOException;

/**
 * A backup that failed; its message names the archive, the entry being written and the cause. When
 * it is thrown no {@code .part} file is left behind and nothing was published.
 */
public final class BackupException extends IOException {
  private static final long serialVersionUID = 1L;

  BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
