package io.custos.collector.http;

import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.metrics.ScrapeRegistry;
import io.custos.collector.metrics.SeriesExport;
import io.custos.collector.store.TokenOwner;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code GET /metrics}, operator or admin token: client_java's {@link PrometheusScrapeHandler} over
 * {@link ScrapeRegistry} (the collector's own health and the latest value of every series). The
 * client library negotiates the format from {@code Accept} (Prometheus text 0.0.4 by default,
 * OpenMetrics, protobuf), gzips when {@code Accept-Encoding} allows, and honours {@code
 * ?name[]=custos_ingest_samples_total&name[]=…}. A token is required because this is fleet data;
 * Prometheus sends it with {@code authorization: { credentials_file: /etc/prometheus/custos.token
 * }} in the scrape config. This class only adapts our {@link Request} and {@link Response} to the
 * library's small exchange interface, as client_java's own servlet and HTTP server adapters do.
 */
final class PrometheusHandler implements Handler {
  private final PrometheusScrapeHandler scrape;

  PrometheusHandler(CollectorMetrics metrics, SeriesExport series) {
    // Built, not read from prometheus.properties or the environment: the exposition is ours.
    this.scrape =
        new PrometheusScrapeHandler(
            PrometheusProperties.builder().build(), ScrapeRegistry.of(metrics, series));
  }

  @Override
  public Response handle(Request request, TokenOwner caller) {
    Exchange exchange = new Exchange(request);
    try {
      scrape.handleRequest(exchange);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return exchange.response();
  }

  /** One scrape: the request as the library reads it, the response as it writes it. */
  private static final class Exchange
      implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
    private final Request request;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    private String contentType = Response.TEXT;
    private int status = 500;

    Exchange(Request request) {
      this.request = request;
    }

    Response response() {
      return new Response(status, contentType, headers, body.toByteArray());
    }

    @Override
    public PrometheusHttpRequest getRequest() {
      return this;
    }

    @Override
    public PrometheusHttpResponse getResponse() {
      return this;
    }

    @Override
    public void handleException(IOException e) throws IOException {
      throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
      throw e;
    }

    @Override
    public void close() {}

    @Override
    public String getQueryString() {
      StringJoiner q = new StringJoiner("&");
      for (String name : request.queryNames()) {
        for (String value : request.queryAll(name)) {
          q.add(
              URLEncoder.encode(name, StandardCharsets.UTF_8)
                  + "="
                  + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
      }
      return q.toString();
    }

    @Override
    public String[] getParameterValues(String name) {
      List<String> values = request.queryAll(name);
      return values.isEmpty() ? null : values.toArray(new String[0]);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      String value = request.header(name);
      return value == null
          ? Collections.emptyEnumeration()
          : Collections.enumeration(List.of(value));
    }

    @Override
    public String getMethod() {
      return request.method();
    }

    @Override
    public String getRequestPath() {
      return request.path();
    }

    @Override
    public void setHeader(String name, String value) {
      if (name.equalsIgnoreCase("Content-Type")) {
        contentType = value;
      } else if (!name.equalsIgnoreCase("Content-Length")) {
        headers.put(name, value);
      }
    }

    @Override
    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
      status = statusCode;
      return body;
    }
  }
}
