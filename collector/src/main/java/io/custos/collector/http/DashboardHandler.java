package io.custos.collector.http;

import io.custos.collector.store.TokenOwner;

/**
 * {@code GET /}, no token: a placeholder page until the real dashboard lands, showing how to read
 * the status with {@code curl}. Serves no data, so it needs no token.
 */
final class DashboardHandler implements Handler {
  @Override
  public Response handle(Request request, TokenOwner caller) {
    String host = request.header("Host");
    String base = "http://" + (host == null || host.isBlank() ? "127.0.0.1:8480" : host);
    String curl =
        "curl -H \"Authorization: Bearer $TOKEN\" '" + base + "/api/v1/services?format=text'";
    String html =
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Custos collector</title></head>
        <body style="font-family: sans-serif; margin: 2em">
        <h1>Custos collector</h1>
        <p>The dashboard is coming. Until then, read the service status from a terminal with an
        operator token (<code>custos-collector token create --role operator</code>):</p>
        <pre>%s</pre>
        <p>Problems only: add <code>&amp;status=problems</code>. Hosts:
        <code>/api/v1/hosts?format=text</code>. Health: <code>/healthz</code>.</p>
        </body>
        </html>
        """
            .formatted(escape(curl));
    return Response.html(200, html);
  }

  /** The Host header is client-controlled; it must not be able to inject markup. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
