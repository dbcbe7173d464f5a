package io.custos.collector.store;

/**
 * The store cannot do what was asked: the database is unreachable, corrupt, newer than this
 * collector, or a write failed. The message names the database and the operation. Nothing was
 * changed by the failing call.
 */
public final class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
