package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;
import java.io.IOException;

/**
 * Maps the {@code type} key of a check entry to its config record through {@link CheckRegistry}, so
 * the registry stays the one list of kinds. Streaming binding keeps line numbers in errors.
 */
final class CheckTypeResolver extends TypeIdResolverBase {
  @Override
  public String idFromValue(Object value) {
    return ((CheckKind) value).type();
  }

  @Override
  public String idFromValueAndType(Object value, Class<?> suggestedType) {
    return idFromValue(value);
  }

  @Override
  public JavaType typeFromId(DatabindContext context, String id) throws IOException {
    Class<? extends CheckKind> type = CheckRegistry.configType(id);
    if (type == null) {
      String problem =
          "unknown check type \""
              + id
              + "\" (known types: "
              + String.join(", ", CheckRegistry.types())
              + ")";
      if (context instanceof DeserializationContext ctxt) {
        throw JsonMappingException.from(ctxt, problem);
      }
      throw new IllegalArgumentException(problem);
    }
    return context.constructType(type);
  }

  @Override
  public String getDescForKnownTypeIds() {
    return String.join(", ", CheckRegistry.types());
  }

  @Override
  public JsonTypeInfo.Id getMechanism() {
    return JsonTypeInfo.Id.CUSTOM;
  }
}
