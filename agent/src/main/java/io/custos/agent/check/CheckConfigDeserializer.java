package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds one entry under {@code checks:} in two steps: the keys every kind shares into a {@link
 * Schedule}, the rest (with {@code type}) to the kind's record through {@link CheckKind}'s type
 * resolver. Errors keep the shape of a one-step bind: their path is relative to the entry, so
 * {@code ConfigReader} still names the line and key ({@code checks[2].interval}), and an unknown
 * key lists the shared keys among the known ones.
 */
final class CheckConfigDeserializer extends JsonDeserializer<CheckConfig> {
  /** The shared keys, as written in YAML. */
  static final List<String> SHARED_KEYS =
      List.of("name", "interval", "timeout", "for", "times", "within");

  /** The shared keys as given, before the kind's defaults and the schedule's validation. */
  private record Keys(
      String name,
      Duration interval,
      Duration timeout,
      @JsonProperty("for") Duration holdFor,
      Integer times,
      Integer within) {}

  @Override
  public CheckConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode tree = ctxt.readTree(p);
    if (!(tree instanceof ObjectNode entry)) {
      // Not a mapping: the kind's binding reports it as a one-step bind would.
      return new CheckConfig(ctxt.readTreeAsValue(tree, CheckKind.class), Schedule.DEFAULT);
    }
    JsonNode typeNode = entry.get("type");
    Class<? extends CheckKind> type =
        typeNode != null && typeNode.isTextual()
            ? CheckRegistry.configType(typeNode.asText())
            : null;
    Set<String> own = type == null ? Set.of() : ownKeys(ctxt, type);
    List<String> sharedKeys =
        type == null ? List.of() : CheckRegistry.sharedKeys(typeNode.asText());
    ObjectNode rest = entry.deepCopy();
    ObjectNode shared = ctxt.getNodeFactory().objectNode();
    if (type != null) {
      for (String key : sharedKeys) {
        if (!own.contains(key) && rest.has(key)) {
          shared.set(key, rest.remove(key));
        }
      }
    }
    CheckKind kind;
    try {
      kind = ctxt.readTreeAsValue(rest, CheckKind.class);
    } catch (UnrecognizedPropertyException e) {
      // Only a key of the entry itself could have been a shared one, not one of a nested mapping.
      throw e.getPath().size() == 1 ? withSharedKeys(p, e, sharedKeys, own) : e;
    }
    Keys keys = ctxt.readTreeAsValue(shared, Keys.class);
    try {
      return new CheckConfig(
          kind,
          new Schedule(
              keys.name(),
              keys.interval(),
              keys.timeout() == null ? kind.defaultTimeout() : keys.timeout(),
              keys.holdFor() == null ? kind.defaultHoldFor() : keys.holdFor(),
              keys.times(),
              keys.within()));
    } catch (IllegalArgumentException e) {
      throw ValueInstantiationException.from(
          p, e.getMessage(), ctxt.constructType(kind.getClass()), e);
    }
  }

  /** The keys the kind's record binds itself (for {@code snmp}, {@code name}). */
  private static Set<String> ownKeys(DeserializationContext ctxt, Class<?> type) {
    BeanDescription d = ctxt.getConfig().introspect(ctxt.constructType(type));
    Set<String> keys = new HashSet<>();
    for (BeanPropertyDefinition def : d.findProperties()) {
      keys.add(def.getName());
    }
    return keys;
  }

  /** The same error, with the shared keys among the known ones, as when records declared them. */
  private static JsonMappingException withSharedKeys(
      JsonParser p, UnrecognizedPropertyException e, List<String> sharedKeys, Set<String> own) {
    Collection<Object> known = new ArrayList<>();
    if (e.getKnownPropertyIds() != null) {
      known.addAll(e.getKnownPropertyIds());
    }
    for (String key : sharedKeys) {
      if (!own.contains(key) && !known.contains(key)) {
        known.add(key);
      }
    }
    UnrecognizedPropertyException again =
        new UnrecognizedPropertyException(
            p,
            e.getOriginalMessage(),
            e.getLocation(),
            e.getReferringClass(),
            e.getPropertyName(),
            known);
    List<JsonMappingException.Reference> path = e.getPath();
    for (int i = path.size() - 1; i >= 0; i--) {
      again.prependPath(path.get(i));
    }
    return again;
  }
}
