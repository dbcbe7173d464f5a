package io.custos.collector.archive;

/**
 * A request to the archive store that cannot be served, with the HTTP status that says why: 400
 * (bad name, header or body), 404, 409 (exists with other bytes), 411, 413 (too large or no space),
 * 500 (the store's disk failed).
 */
public class ArchiveException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ArchiveException(int status, String message) {
    super(message);
    this.status = status;
  }

  public ArchiveException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }
}
