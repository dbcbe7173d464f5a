package io.custos.agent.check.host;

import io.custos.agent.check.CheckKind;

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
 */
public record UsersConfig(Integer warning, Integer critical) implements CheckKind {

  public UsersConfig {
    if (warning != null && critical != null && warning >= critical) {
      throw new IllegalArgumentException(
          "warning (" + warning + ") must be below critical (" + critical + ")");
    }
  }

  /** Every key at its default. */
  public static UsersConfig defaults() {
    return new UsersConfig(null, null);
  }

  @Override
  public String type() {
    return "users";
  }
}
