package io.custos.collector.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.config.NotifySection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A webhook: POSTs {@code {"host":..., "subject":..., "text":..., "notifications":[...]}} as JSON;
 * any 2xx is success, anything else (or no answer within the timeout) a failure to retry.
 */
public final class WebhookNotifier implements Notifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NotifySection.Webhook config;
  private final HttpClient http;

  public WebhookNotifier(NotifySection.Webhook config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
  }

  @Override
  public String send(Message m) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("host", m.host());
    body.put("subject", m.subject());
    body.put("text", m.body());
    body.set("notifications", JSON.valueToTree(m.notices()));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.url()))
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("webhook " + config.url() + " answered HTTP " + r.statusCode());
    }
    return "HTTP " + r.statusCode();
  }
}
