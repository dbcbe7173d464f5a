package io.custos.agent.check.remote;

import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import java.time.Duration;

/**
 * Configuration of the {@code tcp} check: a TCP port accepts connections, and how fast.
 *
 * <pre>{@code
 * - { type: tcp, host: db01, port: 5432, warning: 200ms, critical: 1s }
 * }</pre>
 *
 * @param host host name or address
 * @param port the port
 * @param warning a response time at or above which the check is WARNING; default none
 * @param critical the same for CRITICAL; default none
 */
public record TcpConfig(String host, Integer port, Duration warning, Duration critical)
    implements CheckKind {

  public TcpConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: expected a host name or address");
    }
    if (port == null) {
      throw new IllegalArgumentException("port: expected 1-65535, got nothing");
    }
    Levels.requirePort(port);
    Levels.requireBelow(warning, critical);
  }

  @Override
  public String type() {
    return "tcp";
  }
}
