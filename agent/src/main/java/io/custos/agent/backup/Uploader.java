package io.custos.agent.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.custos.common.retry.Backoff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads each new archive and its manifest to the collector's archive store ({@code
 * docs/archive-store.md}): a queue persisted in {@code <backups.directory>/custos-upload-
 * queue.json} (written as {@code .part}, forced, renamed), so a restarted daemon resumes; each
 * object is first asked for with {@code HEAD} and skipped when the collector already has it with
 * the same sha256; a failed attempt is retried after 30 s, doubling up to 15 min, each wait up to a
 * fifth shorter at random so that nodes do not retry in step ({@link #BACKOFF}). Archives of one
 * set go oldest first, so the collector never holds an incremental without its base for longer than
 * one upload.
 *
 * <p>Threads: {@link #kick} starts a drain on the uploader's own thread unless one is running, so a
 * multi-gigabyte upload never holds up the checks; {@link #drain} does the same work on the
 * caller's thread (tests, with an injected {@link Clock}).
 *
 * <p>Failure behaviour: nothing escapes a drain; every failure is logged, counted in the entry and
 * retried; an archive that vanished from disk (deleted by hand) is dropped from the queue with an
 * error logged.
 */
public final class Uploader implements AutoCloseable {
  /** The queue file in the backup directory. */
  public static final String FILE = "custos-upload-queue.json";

  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration MAX_RETRY = Duration.ofMinutes(15);

  // Up to a fifth off each wait, so nodes cut off by one collector restart do not return together.
  static final Backoff BACKOFF = new Backoff(FIRST_RETRY, MAX_RETRY, 0.2);

  private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The collector's store, as the uploader needs it; {@code ArchiveClient} in the daemon. */
  public interface Remote {
    /** The sha256 of {@code object} on the collector, or empty when it has none. */
    Optional<String> sha256(String node, String object) throws IOException;

    /**
     * Uploads {@code file} as {@code object} with the index headers (empty for a manifest).
     *
     * @param sha256 the hex sha256 the file was written with (an archive's {@code archive_sha256}
     *     from its manifest), or null to compute it from the file; the collector refuses bytes that
     *     do not match, so an archive damaged on disk since its backup is never stored as good
     */
    void put(String node, String object, Path file, Map<String, String> index, String sha256)
        throws IOException;
  }

  /**
   * One archive waiting.
   *
   * @param archive its file name
   * @param set its set
   * @param created when it was made, epoch ms
   * @param attempts failed attempts so far
   * @param nextAttempt not before this, epoch ms
   * @param lastError why the last attempt failed, or null
   */
  public record Pending(
      String archive, String set, long created, int attempts, long nextAttempt, String lastError) {}

  private record QueueFile(List<Pending> pending, Map<String, String> lastUploaded) {}

  private final String node;
  private final Path directory;
  private final Remote remote;
  private final Clock clock;
  private final RandomGenerator random;
  private final Path file;
  private final List<Pending> pending = new ArrayList<>();
  private final Map<String, String> lastUploaded = new java.util.TreeMap<>();
  private final ExecutorService executor;
  private final AtomicBoolean draining = new AtomicBoolean();

  /**
   * @param node this node's name (the objects' first dotted part)
   * @param directory the backup directory: the archives and the queue file
   */
  public Uploader(String node, Path directory, Remote remote, Clock clock) {
    this(
        node,
        directory,
        remote,
        clock,
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "custos-upload");
              t.setDaemon(true);
              return t;
            }),
        new SplittableRandom());
  }

  /**
   * For tests: drains run on {@code executor} (a direct one runs them in {@link #kick}), and the
   * retry waits' jitter is drawn from {@code random}.
   */
  Uploader(
      String node,
      Path directory,
      Remote remote,
      Clock clock,
      ExecutorService executor,
      RandomGenerator random) {
    this.random = random;
    this.node = node;
    this.directory = directory;
    this.remote = remote;
    this.clock = clock;
    this.file = directory.resolve(FILE);
    this.executor = executor;
    try {
      QueueFile q = JSON.readValue(Files.readAllBytes(file), QueueFile.class);
      if (q.pending() != null) {
        pending.addAll(q.pending());
      }
      if (q.lastUploaded() != null) {
        lastUploaded.putAll(q.lastUploaded());
      }
    } catch (NoSuchFileException e) {
      // nothing queued yet
    } catch (IOException e) {
      LOG.error("cannot read upload queue {}: {}; starting with an empty one", file, e.toString());
    }
  }

  /** The archive names in a directory's queue file, for retention outside the daemon. */
  public static Set<String> pendingIn(Path directory) throws IOException {
    try {
      QueueFile q = JSON.readValue(Files.readAllBytes(directory.resolve(FILE)), QueueFile.class);
      Set<String> out = new HashSet<>();
      if (q.pending() != null) {
        q.pending().forEach(p -> out.add(p.archive()));
      }
      return out;
    } catch (NoSuchFileException e) {
      return Set.of();
    }
  }

  /** Queues a new archive of {@code set}. */
  public synchronized void enqueue(String set, Path archive) {
    String name = archive.getFileName().toString();
    if (pending.stream().anyMatch(p -> p.archive().equals(name))) {
      return;
    }
    long created =
        ArchiveName.tryParse(name).map(n -> n.created().toEpochMilli()).orElse(clock.millis());
    // in the order archives are made, which is chain order: a base goes up before what depends on
    // it even when the node's clock stepped back between them (never sorted by stamp)
    pending.add(new Pending(name, set, created, 0, 0, null));
    save();
  }

  /**
   * Queues the archives of {@code set} that come after the last one uploaded: in chain order
   * ({@link Catalog#list}), not by stamp, since the node's clock may have stepped back; by stamp
   * only when that archive is no longer on the node.
   *
   * @param items the set's archives in chain order
   */
  public void enqueueNotUploaded(String set, List<Catalog.Item> items) {
    String last = lastUploaded(set);
    int from = 0;
    for (int k = 0; k < items.size(); k++) {
      if (items.get(k).fileName().equals(last)) {
        from = k + 1;
      }
    }
    Instant after =
        from > 0
            ? Instant.MIN
            : Optional.ofNullable(last)
                .flatMap(ArchiveName::tryParse)
                .map(ArchiveName::created)
                .orElse(Instant.MIN);
    for (Catalog.Item i : items.subList(from, items.size())) {
      if (i.created().isAfter(after)) {
        enqueue(set, i.file());
      }
    }
  }

  /** The archives not yet on the collector, in the order they were made (chain order). */
  public synchronized List<Pending> pending() {
    return List.copyOf(pending);
  }

  /** The names of the archives not yet on the collector. */
  public synchronized Set<String> pendingNames() {
    Set<String> s = new HashSet<>();
    pending.forEach(p -> s.add(p.archive()));
    return s;
  }

  /** The oldest archive of {@code set} not yet on the collector, if any. */
  public synchronized Optional<Pending> oldestPending(String set) {
    return pending.stream().filter(p -> p.set().equals(set)).findFirst();
  }

  /** The last archive of {@code set} the collector took, or null. */
  public synchronized String lastUploaded(String set) {
    return lastUploaded.get(set);
  }

  /** Starts a drain on the upload thread unless one is running. */
  public void kick() {
    if (draining.compareAndSet(false, true)) {
      try {
        executor.execute(
            () -> {
              try {
                drain();
              } finally {
                draining.set(false);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        draining.set(false);
      }
    }
  }

  /**
   * Uploads every queued archive that is due, oldest first, on this thread; a set whose upload
   * failed waits for its retry before its later archives go.
   *
   * @return how many archives were completed
   */
  public int drain() {
    return drain(false);
  }

  /**
   * Like {@link #drain()}, but tries each set's first archive now even when its retry is not due
   * yet ({@code backup upload}, run by hand or from cron).
   */
  public int drainNow() {
    return drain(true);
  }

  private int drain(boolean now) {
    int done = 0;
    Set<String> blocked = new HashSet<>();
    for (Pending p : pending()) {
      if (blocked.contains(p.set())) {
        continue;
      }
      if (!now && p.nextAttempt() > clock.millis()) {
        blocked.add(p.set());
        continue;
      }
      try {
        upload(p);
        synchronized (this) {
          pending.removeIf(q -> q.archive().equals(p.archive()));
          lastUploaded.put(p.set(), p.archive());
          save();
        }
        LOG.info("uploaded {} to the collector", p.archive());
        done++;
      } catch (NoSuchFileException e) {
        LOG.error("upload of {} dropped: {} is gone from {}", p.archive(), e.getFile(), directory);
        synchronized (this) {
          pending.removeIf(q -> q.archive().equals(p.archive()));
          save();
        }
      } catch (IOException | RuntimeException e) {
        int attempts = p.attempts() + 1;
        Duration wait = BACKOFF.delay(attempts, random);
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.warn(
            "upload of {} failed (attempt {}), retrying in {}: {}",
            p.archive(),
            attempts,
            wait,
            why);
        synchronized (this) {
          for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).archive().equals(p.archive())) {
              pending.set(
                  i,
                  new Pending(
                      p.archive(),
                      p.set(),
                      p.created(),
                      attempts,
                      clock.millis() + wait.toMillis(),
                      why));
            }
          }
          save();
        }
        blocked.add(p.set());
      }
    }
    return done;
  }

  /** The longest wait after {@code attempts} failures: 30 s doubling, at most 15 min. */
  static Duration backoff(int attempts) {
    return BACKOFF.ceiling(attempts);
  }

  /** Sends the manifest first, then the archive, each only when the collector lacks it. */
  private void upload(Pending p) throws IOException {
    Path archive = directory.resolve(p.archive());
    ArchiveName name = ArchiveName.parse(p.archive());
    Path manifest = Manifest.sealedFileFor(archive);
    if (!Files.exists(archive)) {
      throw new NoSuchFileException(archive.toString());
    }
    String manifestObject = manifest.getFileName().toString();
    if (remote.sha256(node, manifestObject).isEmpty()) {
      remote.put(node, manifestObject, manifest, Map.of(), null);
    }
    Map<String, String> head = Catalog.readHead(Manifest.fileFor(archive));
    String base = head.get("base");
    Optional<String> there = remote.sha256(node, p.archive());
    if (there.isPresent() && !there.get().equalsIgnoreCase(head.get("archive_sha256"))) {
      throw new IOException(
          "the collector holds another "
              + p.archive()
              + " (sha256 "
              + there.get()
              + ", ours "
              + head.get("archive_sha256")
              + ")");
    }
    if (there.isEmpty()) {
      remote.put(
          node,
          p.archive(),
          archive,
          indexHeaders(
              name.set(),
              name.level().token(),
              base,
              DateTimeFormatter.ISO_INSTANT.format(name.created()),
              name.encrypted(),
              manifestObject),
          head.get("archive_sha256"));
    }
  }

  /** The contract's {@code X-Custos-*} index headers of an archive upload. */
  static Map<String, String> indexHeaders(
      String set, String level, String base, String created, boolean encrypted, String manifest) {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("X-Custos-Set", set);
    h.put("X-Custos-Level", level);
    if (base != null) {
      h.put("X-Custos-Base", base);
    }
    h.put("X-Custos-Created", created);
    h.put("X-Custos-Encrypted", encrypted ? "age" : "none");
    h.put("X-Custos-Manifest", manifest);
    return h;
  }

  private void save() {
    try {
      BackupRunner.createPrivate(directory);
      Path part = SafeFiles.partOf(file);
      Files.deleteIfExists(part);
      SafeFiles.writePart(
          part,
          JSON.writerWithDefaultPrettyPrinter()
              .writeValueAsBytes(new QueueFile(pending, lastUploaded)));
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.error("cannot save upload queue {}: {}", file, e.toString());
    }
  }

  /** When the oldest pending archive of {@code set} was made, or null when none is pending. */
  public synchronized Instant oldestPendingCreated(String set) {
    return oldestPending(set).map(p -> Instant.ofEpochMilli(p.created())).orElse(null);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
