package io.custos.collector.store;

import io.custos.collector.store.history.MetricHistory;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the collector keeps: hosts, received reports, the current state of every service,
 * state-change events and tokens. Implementations are thread-safe; every method either completes
 * durably or throws {@link StoreException}, so a caller that got a normal return from {@link
 * #ingest} may acknowledge the report. Times are UTC epoch milliseconds.
 */
public interface Store extends AutoCloseable {

  /**
   * Stores one report atomically: either all of it or none. A ({@code node}, {@code seq}) pair
   * already stored is a no-op reported as a duplicate.
   */
  IngestResult ingest(Report report);

  /**
   * Stores one report like {@link #ingest(Report)} and runs {@code hook} in the same transaction,
   * so the alert engine's state changes and notifications commit with the report or not at all.
   */
  IngestResult ingest(Report report, IngestHook hook);

  /** Runs {@code work} in one write transaction: all of its writes commit, or none. */
  <T> T alerts(java.util.function.Function<AlertTx, T> work);

  /** All hosts that ever reported, by name. */
  List<HostRecord> hosts();

  /** Current state of every service of {@code host}, or of all hosts when null. */
  List<ServiceRecord> services(String host);

  /**
   * As {@link #services(String)}, only the services whose status is one of {@code statuses}: the
   * store selects them (by index where it has one) and decodes nothing else, so a problem list does
   * not cost a pass over every service. An empty set selects nothing.
   */
  default List<ServiceRecord> services(String host, Set<Status> statuses) {
    return services(host).stream().filter(s -> statuses.contains(s.status())).toList();
  }

  /**
   * How many services of {@code host} (of every host when null) have each status, by host, counted
   * by the store without reading the rows; a host without services or a status no service of the
   * host has is absent.
   */
  default Map<String, Map<Status, Integer>> serviceCounts(String host) {
    Map<String, Map<Status, Integer>> out = new HashMap<>();
    for (ServiceRecord s : services(host)) {
      out.computeIfAbsent(s.host(), h -> new EnumMap<>(Status.class))
          .merge(s.status(), 1, Integer::sum);
    }
    return out;
  }

  /**
   * Every alert state as stored, by host and service, read without taking the write transaction
   * {@link #alerts} takes, so readers do not hold up ingest; it may be a moment old.
   */
  default List<AlertStateRecord> alertStates() {
    return alerts(AlertTx::alertStates);
  }

  /**
   * State changes and alert events (kind {@code alert}: notifications sent, failed, suppressed) at
   * or after {@code since}, oldest first; of {@code host}, or all when null.
   */
  List<EventRecord> events(String host, long since);

  /**
   * The backup catalog: every backup run that reports carried ({@link #ingest} stores them in the
   * report's transaction), newest first (by start time), filtered by {@code node}, {@code set} and
   * {@code result} where not null, {@code limit} rows from {@code offset}, with the total number of
   * matching rows.
   */
  BackupPage backups(String node, String set, Status result, int limit, int offset);

  /** Stores a token by its hash; {@code node} is required for {@link Role#NODE} only. */
  void addToken(String sha256Hex, Role role, String node);

  /** The owner of the token with this hash, if any. */
  Optional<TokenOwner> findToken(String sha256Hex);

  /** Every token, oldest first, without secrets or whole hashes. */
  List<TokenRecord> tokens();

  /**
   * Records that the token with this hash authenticated a request at {@code when} (epoch ms).
   * Callers throttle it (see the HTTP authenticator); unknown hashes are ignored.
   */
  void touchToken(String sha256Hex, long when);

  /**
   * Deletes the tokens whose hash starts with {@code idPrefix} (a {@link TokenRecord#id()}, or a
   * whole hash), so that they are refused from the next request on.
   *
   * @return the tokens deleted; empty if none matched
   * @throws IllegalArgumentException when the prefix is shorter than 8 hex digits or matches more
   *     than one token (then nothing is deleted)
   */
  List<TokenRecord> revokeToken(String idPrefix);

  /**
   * Removes a decommissioned host: its host row, services and alert states, acknowledgements,
   * downtimes, pending notifications and node tokens (so that a forgotten agent cannot bring it
   * back); with {@code history} also its metric series, events and report log. The backup catalog
   * is kept (archives leave through backup retention).
   *
   * @return what was deleted, or empty when no such host exists
   */
  Optional<HostRemoval> removeHost(String host, boolean history);

  /**
   * The metric history: every metric of every ingested report, kept in compact chunks and
   * downsampled with age. {@link #ingest} writes a report's samples in the same transaction as the
   * rest of it.
   */
  MetricHistory history();

  /** Bytes the store occupies on disk (database files, or the PostgreSQL database), for health. */
  long sizeBytes();

  /** Throws {@link StoreException} when the store cannot answer a trivial query. */
  void ping();

  /** What and where this store is, for logs: {@code sqlite /var/lib/custos/collector.db}. */
  String describe();

  /** Releases the store; later calls throw {@link StoreException}. Idempotent. */
  @Override
  void close();
}
