package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import java.time.Duration;

/**
 * The keys of one entry under {@code checks:} that belong to its kind, bound to the kind's record.
 * The {@code type} key selects the record through {@link CheckRegistry}; an unknown type is an
 * error that names the known ones. The keys every kind shares ({@code name}, {@code interval},
 * {@code timeout}, {@code for}, {@code times}, {@code within}) are not in the record: {@link
 * CheckConfig} reads them once into a {@link Schedule}. Every record is validated at construction,
 * so a bad threshold fails at start-up and in {@code check-config}, never at 03:00.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.CUSTOM,
    include = JsonTypeInfo.As.PROPERTY,
    property = "type",
    defaultImpl = MissingTypeConfig.class)
@JsonTypeIdResolver(CheckTypeResolver.class)
public interface CheckKind {
  /** The registry name of this kind, the value of the {@code type} key. */
  String type();

  /** The {@code timeout} when the entry sets none; 10s unless the kind is slower. */
  default Duration defaultTimeout() {
    return Schedule.DEFAULT_TIMEOUT;
  }

  /** The {@code for} when the entry sets none; null reports at once. */
  default Duration defaultHoldFor() {
    return null;
  }

  /** The shared keys at this kind's defaults. */
  default Schedule defaultSchedule() {
    return new Schedule(null, null, defaultTimeout(), defaultHoldFor(), null, null);
  }
}
