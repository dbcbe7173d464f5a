/**
 * The collector's HTTP API. Handlers ({@code *Handler}) see only {@code Request} and return {@code
 * Response}, so they are tested without a server; {@code Router} does routing and bearer-token
 * authorization; the Netty adapter is {@link io.custos.collector.http.CollectorServer} (bootstrap),
 * {@code CollectorServerInitializer} (pipeline) and {@code CollectorServerHandler} (request in,
 * response out, work off the event loop). Every error is JSON {@code {"error":"..."}}.
 */
package io.custos.collector.http;
