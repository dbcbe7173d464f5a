package io.custos.collector.alert.notify;

import java.io.IOException;

/**
 * A message the other side did not accept, saying whether trying again can help: a webhook's {@code
 * 400} or an SMTP {@code 550} will be refused again, a {@code 503} or a timeout may pass. The
 * {@link io.custos.collector.alert.Dispatcher} gives up at once on a failure that is not retryable
 * (Alertmanager's notifiers answer the same question with their {@code retry} flag).
 */
public final class DeliveryException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  private DeliveryException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Trying again can help (a server error, a timeout, a full queue). */
  public static DeliveryException temporary(String message, Throwable cause) {
    return new DeliveryException(message, true, cause);
  }

  /** Trying again cannot help until someone changes something (a bad request, no such user). */
  public static DeliveryException permanent(String message, Throwable cause) {
    return new DeliveryException(message, false, cause);
  }

  /** Whether the dispatcher should try again later. */
  public boolean retryable() {
    return retryable;
  }
}
