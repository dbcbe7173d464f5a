package io.custos.collector.store;

import io.custos.common.wire.Status;

/**
 * One finished backup run in the catalog, as an agent reported it ({@code BackupEvent}) plus who
 * reported it and when it arrived.
 *
 * @param node node that ran the backup
 * @param set backup set name
 * @param level {@code full}, {@code diff} or {@code incr}
 * @param archive archive file name, or null when the run failed before naming one
 * @param result OK, or CRITICAL for a failed run
 * @param bytes archive size in bytes
 * @param files number of entries written
 * @param started UTC epoch ms
 * @param finished UTC epoch ms
 * @param message empty on success, the reason on failure
 * @param received when the collector stored the report that carried it, UTC epoch ms
 */
public record BackupRecord(
    String node,
    String set,
    String level,
    String archive,
    Status result,
    long bytes,
    long files,
    long started,
    long finished,
    String message,
    long received) {}
