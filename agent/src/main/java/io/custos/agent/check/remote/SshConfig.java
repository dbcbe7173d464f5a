package io.custos.agent.check.remote;

import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import java.time.Duration;

/**
 * Configuration of the {@code ssh} check: an SSH server answers with its banner.
 *
 * <pre>{@code
 * - { type: ssh, host: 10.1.1.253 }
 * - { type: ssh, host: bastion, port: 2222, warning: 500ms }
 * }</pre>
 *
 * @param host host name or address
 * @param port the port; default 22
 * @param warning a response time at or above which the check is WARNING; default none
 * @param critical the same for CRITICAL; default none
 */
public record SshConfig(String host, Integer port, Duration warning, Duration critical)
    implements CheckKind {

  public SshConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: expected a host name or address");
    }
    port = port == null ? 22 : port;
    Levels.requirePort(port);
    Levels.requireBelow(warning, critical);
  }

  @Override
  public String type() {
    return "ssh";
  }
}
