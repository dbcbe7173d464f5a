package io.custos.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.common.lock.LockFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk queue between the checks and the collector, and the keeper of the report sequence
 * number. Layout of the directory:
 *
 * <pre>
 * seq                              the next sequence number, decimal
 * .lock                            held by the agent using this spool (pid inside)
 * 00000001795783507907.json        one unsent report per file, named by zero-padded seq
 * rejected/00000001795783507001.json   reports the collector refused with 400, 413 or 422
 * </pre>
 *
 * <p>Every file is written to a temporary name, fsynced and renamed, so a crash never leaves a torn
 * report. {@link #flush} sends in sequence order and deletes a file only after a 2xx (the collector
 * answers 200 to a sequence it already has, so a replay after a crash is harmless).
 *
 * <p>The first sequence number of a new spool is the current time in epoch milliseconds, not 1: if
 * the directory is ever lost, the new numbers are still above every number sent before, whereas
 * restarting at 1 would make the collector drop every report as an already-stored duplicate.
 *
 * <p>Failure behaviour: a collector that cannot be reached, or answers 5xx, 401, 403, 429 or
 * anything else not final, stops the flush and keeps the files; this is logged once when the outage
 * starts and once when it ends, with how many reports were replayed. A 400, 413 or 422 will never
 * succeed: the collector's error message is logged and the file is moved to {@code rejected/} (the
 * newest {@value #KEEP_REJECTED} are kept), so one bad report never blocks the queue. When a new
 * report would take the spool over its bound, the oldest reports are deleted and counted in the
 * log. Not thread-safe on its own; the agent calls it from one thread.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String SUFFIX = ".json";
  private static final String SEQ_FILE = "seq";
  private static final String LOCK_FILE = ".lock";
  static final int KEEP_REJECTED = 100;

  private final Path directory;
  private final Path rejected;
  private final long maxBytes;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final LockFile lock;
  private long next;
  private long outageSince = -1;

  /** Reports name services and their output: the spool is the agent's alone, whatever the umask. */
  private static void privateDirectory(Path directory) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(directory);
      if (p.removeIf(x -> !x.name().startsWith("OWNER_"))) {
        Files.setPosixFilePermissions(directory, p);
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("cannot make the spool {} private: {}", directory, e.toString());
    }
  }

  /**
   * Opens or creates the spool: creates the directory, deletes temporary files left by a crash and
   * reads the sequence number.
   *
   * @param maxBytes bound on the total size of unsent reports
   * @throws IOException when the directory cannot be created or read, or another agent holds its
   *     lock (the message names the lock file and that agent's pid)
   */
  public Spool(Path directory, long maxBytes, Clock clock) throws IOException {
    this.directory = directory;
    this.rejected = directory.resolve("rejected");
    this.maxBytes = maxBytes;
    this.clock = clock;
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      privateDirectory(directory);
    }
    try {
      this.lock =
          LockFile.acquire(directory.resolve(LOCK_FILE), "the spool " + directory, "custos-agent");
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(directory, AtomicFiles.TEMP_PREFIX + "*")) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    }
    long persisted = readSeq();
    long floor = highestSpooled() + 1;
    this.next = persisted > 0 ? Math.max(persisted, floor) : Math.max(clock.millis(), floor);
  }

  private long readSeq() throws IOException {
    try {
      String text = Files.readString(directory.resolve(SEQ_FILE), StandardCharsets.US_ASCII);
      return Long.parseLong(text.strip());
    } catch (NoSuchFileException e) {
      return 0;
    } catch (NumberFormatException e) {
      // A corrupt counter must not stop the agent; time-based numbers stay above old ones.
      LOG.warn(
          "ignoring unreadable sequence file {}: {}", directory.resolve(SEQ_FILE), e.getMessage());
      return clock.millis();
    }
  }

  private long highestSpooled() throws IOException {
    List<Path> files = reports();
    return files.isEmpty() ? 0 : seqOf(files.get(files.size() - 1));
  }

  /**
   * The sequence number for the next report. The number after it is persisted (fsynced) before this
   * one is handed out, so no number is ever handed out twice, across crashes and restarts: the
   * collector would drop a reused number as a duplicate. When the file cannot be replaced (disk
   * full: no room for a new file), the number is written over the old one in place, which needs no
   * new block; when even that fails, no number is handed out.
   *
   * @throws IOException when the next number cannot be persisted; the report must not be sent
   */
  public long nextSeq() throws IOException {
    long seq = next;
    byte[] text =
        String.format(Locale.ROOT, "%020d%n", seq + 1).getBytes(StandardCharsets.US_ASCII);
    Path file = directory.resolve(SEQ_FILE);
    try {
      AtomicFiles.write(file, text);
    } catch (IOException e) {
      try {
        AtomicFiles.overwriteInPlace(file, text);
        LOG.warn(
            "cannot replace {} ({}); wrote the sequence number over the old one in place",
            file,
            e.toString());
      } catch (IOException inPlace) {
        inPlace.addSuppressed(e);
        throw new IOException(
            "cannot persist the next report sequence number "
                + (seq + 1)
                + " in "
                + file
                + " ("
                + inPlace.getMessage()
                + "); no number is handed out, so none can ever be sent twice",
            inPlace);
      }
    }
    next = seq + 1;
    return seq;
  }

  /**
   * Queues one report, dropping the oldest reports first when the spool would exceed its bound.
   *
   * @throws IOException when the report cannot be written (disk full)
   */
  public void add(long seq, byte[] report) throws IOException {
    List<Path> files = reports();
    long total = 0;
    for (Path p : files) {
      total += sizeOf(p);
    }
    int dropped = 0;
    for (int i = 0; i < files.size() && total + report.length > maxBytes; i++) {
      total -= sizeOf(files.get(i));
      Files.deleteIfExists(files.get(i));
      dropped++;
    }
    if (dropped > 0) {
      LOG.warn(
          "spool {} over its bound of {} bytes: dropped the {} oldest unsent report(s)",
          directory,
          maxBytes,
          dropped);
    }
    AtomicFiles.write(directory.resolve(nameOf(seq)), report);
  }

  /**
   * Sends queued reports in sequence order until the queue is empty or the collector cannot take
   * more. Never throws.
   *
   * @return how many reports the collector accepted in this call
   */
  public int flush(ReportSender sender) {
    List<Path> files;
    try {
      files = reports();
    } catch (IOException e) {
      LOG.error("cannot list spool {}: {}", directory, e.toString());
      return 0;
    }
    int sent = 0;
    for (Path file : files) {
      byte[] body;
      try {
        body = Files.readAllBytes(file);
      } catch (IOException e) {
        LOG.error("cannot read spooled report {}: {}", file, e.toString());
        return sent;
      }
      ReportSender.Reply reply;
      try {
        reply = sender.send(body);
      } catch (IOException e) {
        outage("cannot reach the collector: " + e, files.size() - sent);
        return sent;
      }
      int status = reply.status();
      if (status >= 200 && status < 300) {
        delete(file);
        sent++;
      } else if (status == 400 || status == 413 || status == 422) {
        reject(file, status, errorOf(reply.body()));
      } else {
        outage(
            "the collector answered " + status + " " + errorOf(reply.body()), files.size() - sent);
        return sent;
      }
    }
    if (outageSince >= 0) {
      LOG.info(
          "collector reachable again after {}; replayed {} spooled report(s)",
          io.custos.common.units.Durations.format(Duration.ofMillis(clock.millis() - outageSince)),
          sent);
      outageSince = -1;
    }
    return sent;
  }

  /**
   * Sends one report that could not be spooled (disk full), once, so the collector still learns
   * about the node; its outcome is only logged.
   */
  public void sendUnspooled(ReportSender sender, long seq, byte[] report) {
    try {
      ReportSender.Reply reply = sender.send(report);
      if (reply.status() < 200 || reply.status() >= 300) {
        LOG.warn(
            "unspooled report {} not accepted: {} {}", seq, reply.status(), errorOf(reply.body()));
      }
    } catch (IOException e) {
      LOG.warn("unspooled report {} lost: {}", seq, e.toString());
    }
  }

  private void outage(String why, int queued) {
    if (outageSince < 0) {
      outageSince = clock.millis();
      LOG.warn("{}; keeping {} report(s) in {} until it answers", why, queued, directory);
    } else {
      LOG.debug("collector still unavailable: {}", why);
    }
  }

  private void reject(Path file, int status, String error) {
    LOG.error(
        "collector refused report {} with {}: {}; moved to {}",
        seqOf(file),
        status,
        error,
        rejected);
    try {
      Files.createDirectories(rejected);
      Files.move(file, rejected.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      pruneRejected();
    } catch (IOException e) {
      // It must leave the queue either way, or it would block every later report.
      LOG.error("cannot move {} aside ({}); deleting it", file, e.toString());
      delete(file);
    }
  }

  private void pruneRejected() throws IOException {
    List<Path> old = list(rejected);
    for (int i = 0; i < old.size() - KEEP_REJECTED; i++) {
      Files.deleteIfExists(old.get(i));
    }
  }

  private void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.error("cannot delete sent report {}: {}", file, e.toString());
    }
  }

  /** The message of a JSON error body {@code {"error":"..."}}, else the body itself. */
  String errorOf(String body) {
    try {
      JsonNode n = json.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        return n.get("error").asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: show it as it is
    }
    String b = body.strip().replaceAll("\\s+", " ");
    return b.length() > 200 ? b.substring(0, 200) + "..." : b;
  }

  /** The number of reports waiting to be sent. */
  public int depth() {
    try {
      return reports().size();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Releases the spool's lock so that another agent may use it. Idempotent. */
  @Override
  public void close() {
    lock.close();
  }

  /** The spool directory. */
  public Path directory() {
    return directory;
  }

  /** Queued report files in sequence order. */
  List<Path> reports() throws IOException {
    return list(directory);
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        if (!p.getFileName().toString().startsWith(".")) {
          files.add(p);
        }
      }
    }
    // Zero-padded names sort as numbers.
    Collections.sort(files);
    return files;
  }

  static String nameOf(long seq) {
    return String.format(Locale.ROOT, "%020d%s", seq, SUFFIX);
  }

  static long seqOf(Path file) {
    String name = file.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return 0;
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
