package io.custos.agent.backup;

import java.io.IOException;

/**
 * An archive that does not match its manifest or cannot be read through: the message names the
 * entry and the offset ("entry 'etc/passwd' truncated at offset 1,234,560 of 1,300,000").
 */
public final class VerificationException extends IOException {
  private static final long serialVersionUID = 1L;

  VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
