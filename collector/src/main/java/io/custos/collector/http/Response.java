package io.custos.collector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response as handlers produce it. Error responses are always JSON {@code
 * {"error":"<message>"}}.
 *
 * @param status HTTP status code
 * @param contentType the Content-Type header
 * @param headers further headers
 * @param body the body bytes
 * @param file the body as a slice of an open file instead of {@code body} (which is then empty),
 *     streamed from disk and closed once written; null for none
 */
record Response(
    int status, String contentType, Map<String, String> headers, byte[] body, FileBody file) {
  static final String JSON = "application/json; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String HTML = "text/html; charset=utf-8";

  /** Marks the start of a Server-Sent Events stream; the server keeps the connection open. */
  static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

  // Configured once and never changed, hence safe to share between threads.
  private static final ObjectMapper MAPPER = new ObjectMapper();

  Response {
    headers = Map.copyOf(headers);
  }

  Response(int status, String contentType, Map<String, String> headers, byte[] body) {
    this(status, contentType, headers, body, null);
  }

  /**
   * {@code length} bytes of an open file from {@code offset}, sent as the body without being read
   * into memory; the channel is closed once written or when the connection fails.
   */
  record FileBody(FileChannel channel, long offset, long length) {}

  /** A response whose body is streamed from {@code file}. */
  static Response file(int status, String contentType, FileBody file) {
    return new Response(status, contentType, Map.of(), new byte[0], file);
  }

  /** {@code value} serialized as JSON. */
  static Response json(int status, Object value) {
    try {
      return new Response(status, JSON, Map.of(), MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /** The standard error body. */
  static Response error(int status, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", message);
    return json(status, body);
  }

  /** A text/plain answer for a terminal; its control characters are shown, not obeyed. */
  static Response text(int status, String text) {
    return new Response(
        status, TEXT, Map.of(), TerminalText.neutralise(text).getBytes(StandardCharsets.UTF_8));
  }

  static Response html(int status, String html) {
    return new Response(status, HTML, Map.of(), html.getBytes(StandardCharsets.UTF_8));
  }

  /** Starts an event stream ({@link LiveFeed}): headers only, the events follow. */
  static Response eventStream() {
    return new Response(
        200,
        EVENT_STREAM,
        Map.of("Cache-Control", "no-cache", "X-Accel-Buffering", "no"),
        new byte[0]);
  }

  /** This response with one more header. */
  Response withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, contentType, h, body, file);
  }

  /** The shared mapper, for handlers that build JSON trees. */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The body as UTF-8 text, for tests and logs. */
  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
