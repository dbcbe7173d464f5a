package io.custos.collector.http;

import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.metrics.SeriesExport;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Store;

/** The collector's HTTP API: every route, its method and who may call it, in one place. */
final class Routes {
  private Routes() {}

  static Router create(Store store, StatusBoard board) {
    return create(store, board, new CollectorMetrics());
  }

  static Router create(Store store, StatusBoard board, CollectorMetrics metrics) {
    return new Router(new Authenticator(store))
        .route("GET", "/", Router.Access.PUBLIC, new DashboardHandler())
        .route("GET", "/healthz", Router.Access.PUBLIC, new HealthHandler(store))
        .route("POST", "/api/v1/reports", Router.Access.NODE, new ReportHandler(store, metrics))
        .route("GET", "/api/v1/hosts", Router.Access.READ, new HostsHandler(board))
        .route("GET", "/api/v1/services", Router.Access.READ, new ServicesHandler(board))
        .routePrefix("GET", HostHandler.PREFIX, Router.Access.READ, new HostHandler(board))
        .route("GET", "/api/v1/events", Router.Access.READ, new EventsHandler(board))
        .routePrefix("GET", MetricsHandler.PREFIX, Router.Access.READ, new MetricsHandler(board))
        .route(
            "GET",
            "/metrics",
            Router.Access.READ,
            new PrometheusHandler(metrics, new SeriesExport(board)));
  }
}
