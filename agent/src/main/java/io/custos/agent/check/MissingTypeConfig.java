package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;

/**
 * Bound when a {@code checks:} entry has no {@code type} key, only to reject it with a message that
 * names the known types (Jackson's own message names Java classes).
 */
final class MissingTypeConfig implements CheckKind {
  @JsonCreator
  MissingTypeConfig(Map<String, Object> ignored) {
    throw new IllegalArgumentException(
        "missing key \"type\" (known types: " + String.join(", ", CheckRegistry.types()) + ")");
  }

  @Override
  public String type() {
    return "";
  }
}
