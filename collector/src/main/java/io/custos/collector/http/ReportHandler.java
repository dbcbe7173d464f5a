package io.custos.collector.http;

import io.custos.collector.ingest.IngestGuard;
import io.custos.collector.ingest.LimitExceeded;
import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.store.IngestResult;
import io.custos.collector.store.TokenOwner;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.WireCodec;
import io.custos.common.wire.WireException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/reports}, node token: decodes the report, checks it is for the token's own
 * node, stores it durably, then answers {@code {"stored":true,"seq":N}}, or {@code
 * {"stored":false,"duplicate":true,"seq":N}} for a (node, seq) already stored — also 200, so an
 * agent replaying its spool moves on. A body that is not a valid report is 400 with the message
 * naming the field; the Content-Type is not checked. A report over one of the {@link IngestGuard}'s
 * limits is 413 (too large by itself) or 422 (too much for its node), naming the limit; result
 * times outside the guard's window are clamped before storing.
 */
final class ReportHandler implements Handler {
  /** Stores a report durably (through the alert engine when there is one). */
  @FunctionalInterface
  interface Ingestor {
    IngestResult ingest(Report report);
  }

  private final Ingestor store;
  private final CollectorMetrics metrics;
  private final IngestGuard guard;
  private final WireCodec codec = new WireCodec();

  ReportHandler(Ingestor store, CollectorMetrics metrics, IngestGuard guard) {
    this.store = store;
    this.metrics = metrics;
    this.guard = guard;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    Report report;
    try {
      report = codec.decode(request.body());
    } catch (WireException e) {
      throw new HttpError(400, e.getMessage());
    }
    if (!report.node().equals(caller.node())) {
      throw new HttpError(
          403, caller.describe() + " may not post reports for node \"" + report.node() + "\"");
    }
    try {
      report = guard.admit(report);
    } catch (LimitExceeded e) {
      throw new HttpError(e.status(), e.getMessage());
    }
    long started = System.nanoTime();
    IngestResult result = store.ingest(report);
    int samples = 0;
    for (CheckResult r : report.results()) {
      samples += r.metrics().size();
    }
    metrics.ingested(result.stored(), samples, System.nanoTime() - started);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("stored", result.stored());
    if (!result.stored()) {
      body.put("duplicate", true);
    }
    body.put("seq", result.seq());
    return Response.json(200, body);
  }
}
