package io.custos.agent.check.raid;

import io.custos.agent.check.CheckKind;
import java.util.List;

/**
 * Configuration of the {@code raid} check (Linux md software RAID).
 *
 * <pre>{@code
 * - { type: raid }
 * - { type: raid, arrays: [md0, md1], interval: 1m }
 * }</pre>
 *
 * @param arrays the arrays to check, e.g. {@code md0}; default every array in {@code /proc/mdstat};
 *     a listed array that is missing is CRITICAL
 */
public record RaidConfig(List<String> arrays) implements CheckKind {

  public RaidConfig {
    arrays = arrays == null ? List.of() : List.copyOf(arrays);
  }

  /** Every key at its default. */
  public static RaidConfig defaults() {
    return new RaidConfig(null);
  }

  @Override
  public String type() {
    return "raid";
  }
}
