package io.custos.collector.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.config.NotifySection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A webhook: POSTs {@code {"host":..., "subject":..., "text":..., "notifications":[...]}} as JSON;
 * any 2xx is success. A {@code 408}, {@code 425}, {@code 429} or {@code 5xx} answer, or none within
 * the timeout, is a failure worth retrying; any other answer ({@code 400}, {@code 401}, {@code
 * 404}, a redirect) is refused again however often it is sent, so it is a permanent {@link
 * DeliveryException} (Alertmanager's webhook retries only 5xx and 429 likewise).
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
    int code = r.statusCode();
    if (code / 100 != 2) {
      String what = "webhook " + config.url() + " answered HTTP " + code;
      throw retryable(code)
          ? DeliveryException.temporary(what, null)
          : DeliveryException.permanent(what, null);
    }
    return "HTTP " + code;
  }

  /** Whether an HTTP answer other than 2xx may be different next time. */
  static boolean retryable(int status) {
    return status / 100 == 5 || status == 408 || status == 425 || status == 429;
  }
}
