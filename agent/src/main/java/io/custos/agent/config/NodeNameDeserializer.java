package io.custos.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.custos.common.wire.Report;
import io.custos.common.wire.WireException;
import java.io.IOException;

/**
 * Validates {@code node} while its token is current, so the error names its own line rather than
 * the end of the file, as a check in the record constructor would.
 */
final class NodeNameDeserializer extends JsonDeserializer<String> {
  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    String text = p.getValueAsString();
    try {
      return Report.requireNodeName(text);
    } catch (WireException e) {
      throw JsonMappingException.from(p, e.problem());
    }
  }
}
