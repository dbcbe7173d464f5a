package io.custos.agent.check;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * The configuration of one entry under {@code checks:}: the keys of its kind, bound to the kind's
 * record, and the keys every kind shares, read once into a {@link Schedule} (as Telegraf's {@code
 * buildInput} reads {@code interval}, {@code name_override} and the like before binding the rest to
 * the plugin).
 *
 * <pre>{@code
 * - { type: cpu, warning: 80%, interval: 1m, for: 15m }   # kind: CpuConfig; the rest: Schedule
 * }</pre>
 *
 * @param kind the kind's record, selected by the {@code type} key
 * @param schedule the {@code name}, {@code interval}, {@code timeout}, {@code for}, {@code times}
 *     and {@code within} keys, with the kind's defaults ({@link CheckKind#defaultTimeout()}, {@link
 *     CheckKind#defaultHoldFor()}) for those not set
 */
@JsonDeserialize(using = CheckConfigDeserializer.class)
public record CheckConfig(CheckKind kind, Schedule schedule) {

  public CheckConfig {
    if (kind == null || schedule == null) {
      throw new IllegalArgumentException("a check needs its kind and its schedule");
    }
  }

  /** {@code kind} with every shared key at the kind's default. */
  public static CheckConfig of(CheckKind kind) {
    return new CheckConfig(kind, kind.defaultSchedule());
  }

  /** The registry name of this kind, the value of the {@code type} key. */
  public String type() {
    return kind.type();
  }

  /**
   * The {@code name} key: the service name to report instead of the check's own, for checks that
   * yield one service; null keeps the check's own (checks that yield one service per mount, array
   * or interface ignore it).
   */
  public String name() {
    return schedule.name();
  }

  /** How long one run may take before it is reported UNKNOWN. */
  public Duration timeout() {
    return schedule.timeout();
  }
}
