package io.custos.collector.http;

import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.TokenOwner;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz}, no token: {@code {"status":"ok"}} when the store answers, else 503 {@code
 * {"status":"unavailable","error":...}} so a load balancer or systemd watchdog can tell.
 */
final class HealthHandler implements Handler {
  private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);
  private final Store store;

  HealthHandler(Store store) {
    this.store = store;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) {
    try {
      store.ping();
      return Response.json(200, Map.of("status", "ok"));
    } catch (StoreException e) {
      LOG.warn("health check: store unavailable", e);
      return Response.json(
          503,
          Map.of("status", "unavailable", "error", "store unavailable, see the collector log"));
    }
  }
}
