package io.custos.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.custos.common.units.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Reads a YAML configuration file into an immutable config record, strictly: an unknown key, a
 * value of the wrong type or a value its record rejects is a {@link ConfigException} naming the
 * file, the line, the key and the value. Durations ({@code 30s}) bind to {@link Duration}; sizes
 * and percentages to {@link io.custos.common.units.ByteSize} and {@link
 * io.custos.common.units.Percent}. An empty file is an empty mapping, so every default applies.
 */
public final class ConfigReader {
  private final ObjectMapper mapper;

  public ConfigReader() {
    SimpleModule units = new SimpleModule("custos-units");
    units.addDeserializer(Duration.class, new DurationDeserializer());
    this.mapper =
        JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(units)
            .build();
  }

  /** Reads {@code file} as a {@code type}. */
  public <T> T read(Path file, Class<T> type) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), 0, "", "no such file");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage());
    }
    return read(text, file.toString(), type);
  }

  /** Reads YAML text as a {@code type}; {@code source} names it in error messages. */
  public <T> T read(String yaml, String source, Class<T> type) throws ConfigException {
    String text = yaml.strip().isEmpty() || isOnlyComments(yaml) ? "{}" : yaml;
    try {
      T value = mapper.readValue(text, type);
      if (value == null) {
        return mapper.readValue("{}", type);
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          source, line(text, e), path(e), "unknown key" + known(e.getKnownPropertyIds()));
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConfigException(source, line(text, e), path(e), cause.getMessage());
    } catch (InvalidFormatException e) {
      throw new ConfigException(
          source,
          line(text, e),
          path(e),
          "expected " + simpleName(e.getTargetType()) + ", got \"" + e.getValue() + "\"");
    } catch (MismatchedInputException e) {
      String wanted = e.getTargetType() == null ? "another value" : simpleName(e.getTargetType());
      throw new ConfigException(
          source, line(text, e), path(e), "expected " + wanted + ": " + e.getOriginalMessage());
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String problem =
          cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
      throw new ConfigException(source, line(text, e), path(e), problem);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, line(e), "", "not valid YAML: " + e.getOriginalMessage());
    }
  }

  private static boolean isOnlyComments(String yaml) {
    return yaml.lines()
        .map(String::strip)
        .allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"));
  }

  private static String known(Collection<Object> ids) {
    if (ids == null || ids.isEmpty()) {
      return "";
    }
    return " (known keys: "
        + ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
        + ")";
  }

  private static String simpleName(Class<?> type) {
    if (type.isEnum()) {
      StringBuilder sb = new StringBuilder("one of ");
      Object[] constants = type.getEnumConstants();
      for (int i = 0; i < constants.length; i++) {
        sb.append(i == 0 ? "" : "|").append(constants[i].toString().toLowerCase());
      }
      return sb.toString();
    }
    return switch (type.getSimpleName()) {
      case "int", "Integer", "long", "Long" -> "an integer";
      case "double", "Double" -> "a number";
      case "boolean", "Boolean" -> "true or false";
      case "String" -> "a string";
      case "List", "Set" -> "a list";
      case "Map" -> "a mapping";
      default -> "a " + type.getSimpleName();
    };
  }

  private static int line(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    return loc == null ? 0 : loc.getLineNr();
  }

  /**
   * The line of the key a mapping error is about. Jackson reports where its scanner stopped, which
   * for records is often the end of the enclosing mapping, so the key is looked up again by its
   * path in a second, token-level pass over the text.
   */
  private int line(String yaml, JsonMappingException e) {
    JsonPointer target = pointer(e);
    if (!target.matches()) {
      try (JsonParser p = mapper.getFactory().createParser(yaml)) {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          if (p.getParsingContext().pathAsPointer().equals(target)) {
            return p.currentTokenLocation().getLineNr();
          }
        }
      } catch (IOException ignored) {
        // The text already parsed once; fall back to Jackson's own location.
      }
    }
    return line(e);
  }

  private static JsonPointer pointer(JsonMappingException e) {
    JsonPointer ptr = JsonPointer.empty();
    for (JsonMappingException.Reference ref : e.getPath()) {
      ptr =
          ref.getFieldName() != null
              ? ptr.appendProperty(ref.getFieldName())
              : ptr.appendIndex(ref.getIndex());
    }
    return ptr;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage(), e);
      }
    }
  }
}
