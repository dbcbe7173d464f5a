package io.custos.collector.http;

import java.util.Map;

/**
 * A request that cannot be served, with the status and the message for the JSON error body. Thrown
 * by handlers as an early return; {@link Router} turns it into a {@link Response}.
 */
final class HttpError extends Exception {
  private final int status;
  private final Map<String, String> headers;

  HttpError(int status, String message) {
    this(status, message, Map.of());
  }

  HttpError(int status, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  int status() {
    return status;
  }

  Response toResponse() {
    Response r = Response.error(status, getMessage());
    for (Map.Entry<String, String> h : headers.entrySet()) {
      r = r.withHeader(h.getKey(), h.getValue());
    }
    return r;
  }
}
