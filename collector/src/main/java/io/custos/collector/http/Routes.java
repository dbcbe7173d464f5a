package io.custos.collector.http;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.archive.ArchiveStore;
import io.custos.collector.ingest.IngestGuard;
import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.metrics.SeriesExport;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.IngestResult;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreHealth;
import java.util.Objects;

/** The collector's HTTP API: every route, its method and who may call it, in one place. */
final class Routes {
  private Routes() {}

  /** As below, with sessions under a random key. */
  static Router create(
      Store store,
      StatusBoard board,
      CollectorMetrics metrics,
      AlertEngine engine,
      IngestGuard guard) {
    return create(
        store, board, metrics, engine, guard, Sessions.ephemeral(false), new LiveFeed(board), null);
  }

  /**
   * Reports go through {@code engine}, which also serves the acknowledgement and downtime routes;
   * ingest and queue figures go into {@code metrics}, served at /metrics; {@code guard} checks
   * every report before it is stored; {@code sessions} signs the dashboard's session cookies;
   * {@code feed} gets every change and serves {@code /api/v1/stream}; the archive store's routes
   * exist when {@code archives} is not null. Its PUT route is only admitted here: {@link
   * ArchiveUploadHandler} streams the body and answers it.
   */
  static Router create(
      Store store,
      StatusBoard board,
      CollectorMetrics metrics,
      AlertEngine engine,
      IngestGuard guard,
      Sessions sessions,
      LiveFeed feed,
      ArchiveStore archives) {
    Objects.requireNonNull(engine, "engine");
    MetricsHandler metricsHandler = new MetricsHandler(board);
    StoreHealth health = new StoreHealth(board.clock());
    UiHandler ui = new UiHandler();
    SummaryHandler summary = new SummaryHandler(board);
    SessionHandler session = new SessionHandler(store, sessions, board.clock());
    Router router =
        new Router(new Authenticator(store, board.clock(), sessions), health)
            .route("GET", "/", Router.Access.PUBLIC, ui)
            .route("GET", "/ui/{a}", Router.Access.PUBLIC, ui)
            .route("GET", "/ui/{a}/{b}", Router.Access.PUBLIC, ui)
            .route("GET", "/ui/{a}/{b}/{c}", Router.Access.PUBLIC, ui)
            .route("GET", "/ui/{a}/{b}/{c}/{d}", Router.Access.PUBLIC, ui)
            .route("POST", "/api/v1/session", Router.Access.PUBLIC, session::login)
            .route("GET", "/api/v1/session", Router.Access.PUBLIC, session::current)
            .route("DELETE", "/api/v1/session", Router.Access.READ, session::logout)
            .route(
                "GET",
                "/healthz",
                Router.Access.PUBLIC,
                new HealthHandler(store, health, archives == null ? null : archives.health()))
            .route(
                "POST",
                "/api/v1/reports",
                Router.Access.NODE,
                new ReportHandler(
                    report -> {
                      IngestResult r = engine.ingest(report);
                      feed.changed(report.node());
                      return r;
                    },
                    metrics,
                    guard))
            .route("GET", "/api/v1/stream", Router.Access.READ, (r, c) -> Response.eventStream())
            .route("GET", "/api/v1/hosts", Router.Access.READ, new HostsHandler(board))
            .route("GET", "/api/v1/services", Router.Access.READ, new ServicesHandler(board))
            .route("GET", "/api/v1/hosts/{host}", Router.Access.READ, new HostHandler(board))
            .route(
                "DELETE",
                "/api/v1/hosts/{host}",
                Router.Access.ADMIN,
                notifying(new HostRemovalHandler(store, guard), feed))
            .route("GET", "/api/v1/events", Router.Access.READ, new EventsHandler(board))
            .route("GET", "/api/v1/summary", Router.Access.READ, summary::summary)
            .route("GET", "/api/v1/groups", Router.Access.READ, summary::groups)
            .route("GET", "/api/v1/servicegroups", Router.Access.READ, summary::serviceGroups)
            .route(
                "GET",
                "/api/v1/notifications",
                Router.Access.READ,
                new NotificationsHandler(board)::list)
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
    AcksHandler acks = new AcksHandler(engine, board.clock());
    DowntimesHandler downtimes = new DowntimesHandler(engine, board.clock());
    router
        .route("POST", "/api/v1/acks", Router.Access.OPERATE, notifying(acks::create, feed))
        .route("GET", "/api/v1/acks", Router.Access.READ, acks::list)
        .route("DELETE", "/api/v1/acks/{id}", Router.Access.OPERATE, notifying(acks::delete, feed))
        .route(
            "POST", "/api/v1/downtimes", Router.Access.OPERATE, notifying(downtimes::create, feed))
        .route("GET", "/api/v1/downtimes", Router.Access.READ, downtimes::list)
        .route(
            "DELETE",
            "/api/v1/downtimes/{id}",
            Router.Access.OPERATE,
            notifying(downtimes::delete, feed));
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

  /** {@code handler}, telling the feed after every successful change it makes. */
  private static Handler notifying(Handler handler, LiveFeed feed) {
    return (request, caller) -> {
      Response r = handler.handle(request, caller);
      if (r.status() < 300) {
        feed.changedAll();
      }
      return r;
    };
  }

  /** Reached only by a pipeline without {@link ArchiveUploadHandler}: a wiring error. */
  private static Response notStreamed(Request request, io.custos.collector.store.TokenOwner c) {
    return Response.error(500, "archive uploads are not wired to the archive store");
  }
}
