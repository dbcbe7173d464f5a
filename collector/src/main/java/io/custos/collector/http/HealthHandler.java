package io.custos.collector.http;

import io.custos.collector.archive.ArchiveHealth;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.StoreHealth;
import io.custos.collector.store.TokenOwner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /healthz}, no token, for a load balancer or a systemd watchdog: {@code
 * {"status":"ok"}} when the store answers and its writes work; else 503 {@code
 * {"status":"unavailable","store":"...","error":...}} where {@code store} is {@code unreadable}
 * (the store does not answer a query) or {@code not writing} (reports are failing to be stored, for
 * instance on a full disk; with {@code failing_since} in epoch ms and ISO 8601 and the number of
 * {@code failures}). The error names no secret; the details are in the collector log.
 *
 * <p>When reports are stored but the archive store cannot be written (issue 21: a root-owned {@code
 * /var/lib/custos/backups}), the answer stays 200 (reports and alerts work; a load balancer must
 * not take the collector out) with {@code "status":"degraded"}, {@code "archive_store":"not
 * writable"}, {@code archive_error} (what failed and the exception's class, no path: {@code
 * /healthz} needs no token) and {@code archive_failing_since}.
 */
final class HealthHandler implements Handler {
  private final Store store;
  private final StoreHealth health;
  private final ArchiveHealth archives;

  /**
   * @param archives the archive store's health, or null without an archive store
   */
  HealthHandler(Store store, StoreHealth health, ArchiveHealth archives) {
    this.store = store;
    this.health = health;
    this.archives = archives;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) {
    try {
      store.ping();
    } catch (StoreException e) {
      health.failed("GET /healthz", e);
      return Response.json(
          503,
          Map.of(
              "status",
              "unavailable",
              "store",
              "unreadable",
              "error",
              "store unavailable, see the collector log"));
    }
    StoreHealth.Snapshot s = health.snapshot();
    if (!s.writable()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("status", "unavailable");
      out.put("store", "not writing");
      out.put("failing_since", s.failingSince());
      out.put("failing_since_iso", Instant.ofEpochMilli(s.failingSince()).toString());
      out.put("failures", s.failures());
      out.put("error", s.lastError());
      return Response.json(503, out).withHeader("Retry-After", "10");
    }
    String problem = archives == null ? null : archives.problem();
    if (problem != null) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("status", "degraded");
      out.put("archive_store", "not writable");
      out.put("archive_error", archives.kind() + ", see the collector log");
      out.put("archive_failing_since", Instant.ofEpochMilli(archives.since()).toString());
      return Response.json(200, out);
    }
    return Response.json(200, Map.of("status", "ok"));
  }
}
