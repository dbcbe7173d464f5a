package io.custos.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of one backup run of one set, as reported to the collector.
 *
 * @param set backup set name
 * @param level {@code full}, {@code diff} or {@code incr}
 * @param archive archive file name, or null when the run failed before naming one
 * @param result OK or CRITICAL (failed)
 * @param bytes archive size in bytes
 * @param files number of entries written
 * @param started UTC epoch ms
 * @param finished UTC epoch ms, not before {@code started}
 * @param message empty on success, the reason on failure
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupEvent(
    String set,
    String level,
    String archive,
    Status result,
    long bytes,
    long files,
    long started,
    long finished,
    String message) {

  public BackupEvent {
    if (set == null || set.isBlank()) {
      throw new WireException("set", "expected a non-empty string");
    }
    if (!"full".equals(level) && !"diff".equals(level) && !"incr".equals(level)) {
      throw new WireException("level", "expected full|diff|incr, got \"" + level + "\"");
    }
    if (result == null) {
      throw new WireException("result", "missing");
    }
    if (bytes < 0) {
      throw new WireException("bytes", "must not be negative, got " + bytes);
    }
    if (files < 0) {
      throw new WireException("files", "must not be negative, got " + files);
    }
    if (started <= 0) {
      throw new WireException("started", "expected UTC epoch milliseconds, got " + started);
    }
    if (finished < started) {
      throw new WireException("finished", "before started (" + finished + " < " + started + ")");
    }
    message = message == null ? "" : message;
  }
}
