package io.custos.collector.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the collector can write its archive store. It is probed at start and every minute (a file
 * created and deleted in the root), and every failed upload write reports here; the first failure
 * of each kind (exception class and operation) is logged at ERROR, later ones of that kind only
 * counted, and the first success after failures is logged once. {@code /healthz} and the
 * collector's {@code Archive store} service show the current problem.
 *
 * <p>Thread-safe.
 */
public final class ArchiveHealth {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveHealth.class);

  private final Path root;
  private final Clock clock;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();
  private volatile String problem;
  private volatile String kind;
  private volatile long since;

  ArchiveHealth(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  /** The current problem, or null when the store was writable at the last probe or write. */
  public String problem() {
    return problem;
  }

  /**
   * The current problem without paths or messages, for unauthenticated answers: {@code cannot
   * write: AccessDeniedException}; null when there is none.
   */
  public String kind() {
    return problem == null ? null : kind;
  }

  /** Since when {@link #problem()} has lasted, epoch ms; 0 when there is none. */
  public long since() {
    return problem == null ? 0 : since;
  }

  /**
   * Creates and deletes a probe file in the root.
   *
   * @return whether that worked
   */
  public boolean probe() {
    Path probe = root.resolve(".probe-" + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(probe);
      Files.newByteChannel(
              probe,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.DELETE_ON_CLOSE)
          .close();
      ok();
      return true;
    } catch (IOException | SecurityException e) {
      failed("write", e);
      return false;
    }
  }

  /** Records a failure of {@code what} (write, publish, create, ...) on the store. */
  void failed(String what, Exception e) {
    String text =
        "cannot "
            + what
            + " in the archive store "
            + root
            + ": "
            + e.getClass().getSimpleName()
            + ": "
            + e.getMessage();
    if (problem == null) {
      since = clock.millis();
    }
    kind = "cannot " + what + ": " + e.getClass().getSimpleName();
    problem = text;
    if (logged.add(what + " " + e.getClass().getName())) {
      LOG.error(
          "{} (uploads fail until this is fixed, e.g. chown -R custos: {}; further failures of"
              + " this kind are not logged)",
          text,
          root);
    }
  }

  /** Records that the store was written. */
  void ok() {
    if (problem != null) {
      LOG.info("archive store {} is writable again", root);
      problem = null;
      logged.clear();
    }
  }
}
