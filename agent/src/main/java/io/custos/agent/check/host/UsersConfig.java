package io.custos.agent.check.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import java.time.Duration;

/**
 * Configuration of the {@code users} check: logged-in users, as {@code who} lists them.
 *
 * <pre>{@code
 * - { type: users }                     # counts, never a problem
 * - { type: users, warning: 5, critical: 10 }
 * }</pre>
 *
 * @param warning more sessions than this is WARNING; default none
 * @param critical more sessions than this is CRITICAL; default none
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record UsersConfig(
    Integer warning,
    Integer critical,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public UsersConfig {
    if (warning != null && critical != null && warning >= critical) {
      throw new IllegalArgumentException(
          "warning (" + warning + ") must be below critical (" + critical + ")");
    }
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static UsersConfig defaults() {
    return new UsersConfig(null, null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "users";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
