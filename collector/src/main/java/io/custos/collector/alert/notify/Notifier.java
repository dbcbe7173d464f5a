package io.custos.collector.alert.notify;

/**
 * Delivers one message over one transport. Implementations may block (the {@link
 * io.custos.collector.alert.Dispatcher} gives each transport its own thread) and throw anything;
 * the dispatcher retries with backoff, except after a {@link DeliveryException} that says trying
 * again cannot help.
 */
@FunctionalInterface
public interface Notifier {
  /**
   * Delivers {@code message}.
   *
   * @return what the other side answered, for the event history ({@code 250 OK ...}, {@code HTTP
   *     200})
   * @throws DeliveryException when it was not accepted, saying whether to try again
   * @throws Exception when it was not accepted for any other reason (retried)
   */
  String send(Message message) throws Exception;
}
