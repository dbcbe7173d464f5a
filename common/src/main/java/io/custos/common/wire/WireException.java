package io.custos.common.wire;

/**
 * A report, or part of one, that does not match the wire format. {@link #getMessage()} starts with
 * the path of the offending field, e.g. {@code results[3].status: expected
 * OK|WARNING|CRITICAL|UNKNOWN, got "BAD"}.
 */
public final class WireException extends IllegalArgumentException {
  private final String field;
  private final String problem;

  public WireException(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The path of the offending field, relative to where the error was raised. */
  public String field() {
    return field;
  }

  /** What is wrong, without the field path. */
  public String problem() {
    return problem;
  }

  /** The same error with {@code prefix} put in front of the field path. */
  public WireException under(String prefix) {
    String path =
        field.isEmpty() ? prefix : field.startsWith("[") ? prefix + field : prefix + "." + field;
    WireException e = new WireException(path, problem);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
