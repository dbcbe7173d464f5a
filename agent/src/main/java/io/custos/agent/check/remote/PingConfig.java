package io.custos.agent.check.remote;

import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import java.time.Duration;

/**
 * Configuration of the {@code ping} check: a host is up.
 *
 * <pre>{@code
 * - { type: ping, host: 10.1.1.253 }
 * - { type: ping, host: gw, warning: 100ms, critical: 500ms }
 * }</pre>
 *
 * @param host host name or address
 * @param warning a response time at or above which the check is WARNING; default none
 * @param critical the same for CRITICAL; default none
 */
public record PingConfig(String host, Duration warning, Duration critical) implements CheckKind {

  public PingConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: expected a host name or address");
    }
    Levels.requireBelow(warning, critical);
  }

  @Override
  public String type() {
    return "ping";
  }
}
