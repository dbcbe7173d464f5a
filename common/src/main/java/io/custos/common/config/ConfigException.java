package io.custos.common.config;

/**
 * A configuration file that cannot be used. The message names the file, the line when known, the
 * key and the offending value, e.g. {@code /etc/custos/agent.yml:14: checks[2].warnign: unknown
 * key}.
 */
public final class ConfigException extends Exception {
  private final String file;
  private final int line;
  private final String key;
  private final String problem;

  public ConfigException(String file, int line, String key, String problem) {
    super(format(file, line, key, problem));
    this.file = file;
    this.line = line;
    this.key = key;
    this.problem = problem;
  }

  private static String format(String file, int line, String key, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (key != null && !key.isEmpty()) {
      sb.append(key).append(": ");
    }
    return sb.append(problem).toString();
  }

  /** The file as the operator named it. */
  public String file() {
    return file;
  }

  /** 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** Dotted path of the key, e.g. {@code checks[2].warning}; empty for the whole file. */
  public String key() {
    return key;
  }

  /** What is wrong, without file, line and key. */
  public String problem() {
    return problem;
  }
}
