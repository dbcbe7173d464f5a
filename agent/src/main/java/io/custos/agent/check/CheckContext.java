package io.custos.agent.check;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What a check may use from its surroundings.
 *
 * @param root where the node's {@code /} is: {@code /} in production, a fixture tree in tests, or
 *     the host's root mounted into a container; checks read {@code proc/...} under it
 * @param clock stamps results
 */
public record CheckContext(Path root, Clock clock) {
  public CheckContext {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(clock, "clock");
  }

  /** The current time in UTC epoch milliseconds. */
  public long now() {
    return clock.millis();
  }

  /** {@code relative} resolved under the root, e.g. {@code proc/loadavg}. */
  public Path resolve(String relative) {
    return root.resolve(relative);
  }
}
