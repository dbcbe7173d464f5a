package io.custos.common.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and writes the JSON wire format. Reading is strict about required fields and their types
 * and lenient about unknown fields (they are ignored, so newer agents can talk to older
 * collectors). Every rejection is a {@link WireException} whose message names the field, e.g.
 * {@code results[3].status: expected OK|WARNING|CRITICAL|UNKNOWN, got "BAD"}. Decoding streams over
 * Jackson's parser without building a tree (see {@link ReportReader} for the rules on duplicate
 * keys and error order). Thread-safe.
 */
public final class WireCodec {
  /** Distinct names kept by the decoder's interner: a fleet's metric names, units, services. */
  private static final int INTERNED_NAMES = 16_384;

  private final ObjectMapper mapper;
  private final ReportReader reader = new ReportReader(new Interner(INTERNED_NAMES));

  public WireCodec() {
    // The fast parser gives the same, correctly rounded doubles as Double.parseDouble, faster.
    JsonFactory json =
        JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    this.mapper =
        new ObjectMapper(json)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** The report as compact UTF-8 JSON. */
  public byte[] encode(Report report) {
    try {
      return mapper.writeValueAsBytes(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode report " + report.seq(), e);
    }
  }

  /**
   * Decodes one report from UTF-8 JSON bytes.
   *
   * @throws WireException for anything that is not a valid report, including bytes Jackson's
   *     encoding detection takes for an unsupported UCS-4 byte order (found by the fuzz test)
   */
  public Report decode(byte[] json) {
    try (JsonParser p = mapper.getFactory().createParser(json)) {
      return reader.read(p);
    } catch (JsonProcessingException e) {
      throw syntax(e);
    } catch (CharConversionException e) {
      throw encoding(e);
    } catch (IOException e) {
      // Bytes in memory: no real I/O can fail, only decoding.
      throw new WireException("", "malformed JSON: " + e.getMessage());
    }
  }

  /**
   * Decodes one report from a stream of UTF-8 JSON. The stream is closed afterwards (Jackson's
   * auto-close), as it always was.
   */
  public Report decode(InputStream json) throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(json)) {
      return reader.read(p);
    } catch (JsonProcessingException e) {
      throw syntax(e);
    } catch (CharConversionException e) {
      throw encoding(e);
    }
  }

  private static WireException encoding(CharConversionException e) {
    return new WireException("", "not UTF-8 JSON: " + e.getMessage());
  }

  private static WireException syntax(JsonProcessingException e) {
    var loc = e.getLocation();
    String where =
        loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    return new WireException("", "malformed JSON" + where + ": " + e.getOriginalMessage());
  }
}
