package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import java.time.Duration;

/**
 * The configuration of one entry under {@code checks:}. The {@code type} key selects the record
 * through {@link CheckRegistry}; an unknown type is an error that names the known ones. Every
 * record is validated at construction, so a bad threshold fails at start-up and in {@code
 * check-config}, never at 03:00.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.CUSTOM,
    include = JsonTypeInfo.As.PROPERTY,
    property = "type",
    defaultImpl = MissingTypeConfig.class)
@JsonTypeIdResolver(CheckTypeResolver.class)
public interface CheckConfig {
  /** How long one run may take before it is reported UNKNOWN, unless a check sets its own. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The registry name of this kind, the value of the {@code type} key. */
  String type();

  /** How long one run may take before it is reported UNKNOWN. */
  Duration timeout();

  /**
   * The {@code name} key: the service name to report instead of the check's own, for checks that
   * yield one service; null keeps the check's own (checks that yield one service per mount, array
   * or interface ignore it).
   */
  default String name() {
    return null;
  }

  /** The {@code interval}, {@code timeout}, {@code for}, {@code times} and {@code within} keys. */
  default Schedule schedule() {
    return new Schedule(null, timeout(), null, null, null);
  }

  /** Rejects a timeout that is not positive; returns the default for null. */
  static Duration timeoutOrDefault(Duration timeout) {
    if (timeout == null) {
      return DEFAULT_TIMEOUT;
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return timeout;
  }
}
