package io.custos.collector.http;

import io.custos.collector.store.TokenOwner;

/** Serves one route. Handlers never see the server; they get a request and return a response. */
@FunctionalInterface
interface Handler {
  /**
   * Answers {@code request}.
   *
   * @param caller who the bearer token belongs to; null on routes that need no token
   * @throws HttpError for a request that cannot be served, with status and message
   */
  Response handle(Request request, TokenOwner caller) throws HttpError;
}
