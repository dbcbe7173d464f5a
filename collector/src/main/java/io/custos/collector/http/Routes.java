package io.custos.collector.http;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.archive.ArchiveStore;
import io.custos.collector.config.LimitsSection;
import io.custos.collector.ingest.IngestGuard;
import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.metrics.SeriesExport;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreHealth;

/** The collector's HTTP API: every route, its method and who may call it, in one place. */
final class Routes {
  private Routes() {}

  static Router create(Store store, StatusBoard board) {
    return create(
        store,
        board,
        new CollectorMetrics(),
        null,
        new IngestGuard(LimitsSection.ofDefaults(), store, board.clock()));
  }

  /**
   * With {@code engine} (may be null), reports go through it and its acknowledgement and downtime
   * routes exist; ingest and queue figures go into {@code metrics}, served at /metrics; {@code
   * guard} checks every report before it is stored.
   */
  static Router create(
      Store store,
      StatusBoard board,
      CollectorMetrics metrics,
      AlertEngine engine,
      IngestGuard guard) {
    return create(store, board, metrics, engine, guard, null);
  }

  /**
   * As {@link #create(Store, StatusBoard, CollectorMetrics, AlertEngine, IngestGuard)}, with the
   * archive store's routes when {@code archives} is not null. Its PUT route is only admitted here:
   * {@link ArchiveUploadHandler} streams the body and answers it.
   */
  static Router create(
      Store store,
      StatusBoard board,
      CollectorMetrics metrics,
      AlertEngine engine,
      IngestGuard guard,
      ArchiveStore archives) {
    MetricsHandler metricsHandler = new MetricsHandler(board);
    StoreHealth health = new StoreHealth(board.clock());
    Router router =
        new Router(new Authenticator(store, board.clock()), health)
            .route("GET", "/", Router.Access.PUBLIC, new DashboardHandler())
            .route("GET", "/healthz", Router.Access.PUBLIC, new HealthHandler(store, health))
            .route(
                "POST",
                "/api/v1/reports",
                Router.Access.NODE,
                new ReportHandler(engine == null ? store::ingest : engine::ingest, metrics, guard))
            .route("GET", "/api/v1/hosts", Router.Access.READ, new HostsHandler(board))
            .route("GET", "/api/v1/services", Router.Access.READ, new ServicesHandler(board))
            .route("GET", "/api/v1/hosts/{host}", Router.Access.READ, new HostHandler(board))
            .route(
                "DELETE",
                "/api/v1/hosts/{host}",
                Router.Access.ADMIN,
                new HostRemovalHandler(store, guard))
            .route("GET", "/api/v1/events", Router.Access.READ, new EventsHandler(board))
            .route("GET", "/api/v1/backups", Router.Access.READ, new BackupsHandler(board))
            .route("GET", "/api/v1/metrics/{host}", Router.Access.READ, metricsHandler::series)
            .route(
                "GET",
                "/api/v1/metrics/{host}/{metric}",
                Router.Access.READ,
                metricsHandler::values)
            .route(
                "GET",
                "/metrics",
                Router.Access.READ,
                new PrometheusHandler(metrics, new SeriesExport(board)));
    if (engine != null) {
      AcksHandler acks = new AcksHandler(engine);
      DowntimesHandler downtimes = new DowntimesHandler(engine, board.clock());
      router
          .route("POST", "/api/v1/acks", Router.Access.OPERATE, acks::create)
          .route("DELETE", "/api/v1/acks/{id}", Router.Access.OPERATE, acks::delete)
          .route("POST", "/api/v1/downtimes", Router.Access.OPERATE, downtimes::create)
          .route("GET", "/api/v1/downtimes", Router.Access.READ, downtimes::list)
          .route("DELETE", "/api/v1/downtimes/{id}", Router.Access.OPERATE, downtimes::delete);
    }
    if (archives != null) {
      ArchivesHandler a = new ArchivesHandler(archives);
      String object = "/api/v1/backups/{node}/{object}";
      router
          .route("GET", "/api/v1/backups/{node}", Router.Access.ARCHIVE_LIST, a::catalog)
          .route("PUT", object, Router.Access.ARCHIVE_WRITE, Routes::notStreamed)
          .route("HEAD", object, Router.Access.ARCHIVE_CHECK, a::check)
          .route("GET", object, Router.Access.ARCHIVE_READ, a::download);
    }
    return router;
  }

  /** Reached only by a pipeline without {@link ArchiveUploadHandler}: a wiring error. */
  private static Response notStreamed(Request request, io.custos.collector.store.TokenOwner c) {
    return Response.error(500, "archive uploads are not wired to the archive store");
  }
}
