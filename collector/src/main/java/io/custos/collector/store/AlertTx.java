package io.custos.collector.store;

import java.util.List;
import java.util.Optional;

/**
 * What the alert engine reads and writes, always inside one store transaction (see {@link
 * Store#ingest(io.custos.common.wire.Report, IngestHook)} and {@link Store#alerts}), so a state
 * change, its event history and its notifications commit together or not at all. The engine's state
 * is an opaque JSON document to the store. Methods throw {@link StoreException}; the transaction
 * then rolls back. Times are epoch ms.
 */
public interface AlertTx {

  /** The engine's state document of (host, service), or null. */
  String alertState(String host, String service);

  /** Every stored state document. */
  List<AlertStateRecord> alertStates();

  /** Stores (replaces) the state document of (host, service). */
  void saveAlertState(String host, String service, String json);

  /** Appends an {@code alert} event to the history. */
  void event(String host, String service, long time, String status, String text);

  /** Queues a notification for {@code transport}, not to be sent before {@code due}. */
  void enqueue(String transport, String host, long now, long due, String payload);

  /** Pending notifications of {@code transport} whose due time and backoff have passed. */
  List<OutboxRecord> dueOutbox(String transport, long now);

  /** Marks notifications sent (or finally failed) with the server's answer or the error. */
  void outboxDone(List<Long> ids, boolean sent, long now, String detail);

  /** Records a failed attempt; the next one not before {@code nextAttempt}. */
  void outboxRetry(List<Long> ids, long nextAttempt, String error);

  /** Deletes sent and failed notifications finished before {@code before}; returns how many. */
  int pruneOutbox(long before);

  /** Records an acknowledgement; returns its id. */
  long addAck(String host, String service, String author, String comment, boolean sticky, long now);

  /** The (host, service) acknowledged by {@code id}, as a two-element list, if it exists. */
  Optional<List<String>> ackTarget(long id);

  /** Stores a downtime ({@code id} ignored); returns its id. */
  long addDowntime(DowntimeRecord d, long now);

  /** All downtimes not deleted, by id. */
  List<DowntimeRecord> downtimes();

  /** Deletes a downtime; false if there was none with that id. */
  boolean deleteDowntime(long id);

  /** Every host, as {@link Store#hosts()}, read in this transaction. */
  List<HostRecord> hosts();

  /**
   * Locks {@code host} until the end of this transaction and returns its row as committed now, or
   * empty if there is no such host. Every writer of a host's alert states holds this lock first
   * (the ingest of a report holds it for the report's host), so that collectors sharing one
   * database decide about a host one after another, each on the other's committed result.
   *
   * <p>The default suits a store with one writer at a time (SQLite), where the transaction itself
   * is the lock.
   */
  default Optional<HostRecord> lockHost(String host) {
    return hosts().stream().filter(h -> h.name().equals(host)).findFirst();
  }
}
