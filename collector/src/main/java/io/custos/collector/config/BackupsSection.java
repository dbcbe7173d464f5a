package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.common.units.ByteSize;
import java.nio.file.Path;

/**
 * {@code backups:} — the collector's append-only store of nodes' archives (see {@code
 * docs/archive-store.md}).
 *
 * <pre>{@code
 * backups:
 *   store: /var/lib/custos/backups   # default: "backups" beside the SQLite file, else this path
 *   keep: { days: 30, min_full: 2 }  # retention per node and set; chains are kept whole
 *   max_object_size: 1TiB            # largest archive or manifest one upload may send
 *   node_quota: 200GiB               # archives and manifests one node may keep
 *   reserve: 2GiB                    # free space uploads never use on the store's volume
 * }</pre>
 *
 * @param store the directory, or null for the default ({@link CollectorConfig#archiveStore()})
 * @param keep retention
 * @param maxObjectSize largest object accepted, at least 1KB
 * @param nodeQuota bytes of archives and manifests (uploads in progress included) one node may
 *     keep; an upload that would pass it is refused with 507; at least 1KB, default 200GiB
 * @param reserve free space on the archive store's volume that uploads never use, so that a history
 *     store on the same volume keeps working; an upload that would eat into it is refused with 507;
 *     default 2GiB, 0 turns it off
 */
public record BackupsSection(
    String store,
    Keep keep,
    @JsonProperty("max_object_size") ByteSize maxObjectSize,
    @JsonProperty("node_quota") ByteSize nodeQuota,
    ByteSize reserve) {
  public static final Path DEFAULT_STORE = Path.of("/var/lib/custos/backups");
  public static final String DEFAULT_NODE_QUOTA = "200GiB";
  public static final String DEFAULT_RESERVE = "2GiB";

  public BackupsSection {
    if (store != null && store.isBlank()) {
      throw new IllegalArgumentException("store: expected a directory, got an empty string");
    }
    keep = keep == null ? new Keep(null, null) : keep;
    maxObjectSize = maxObjectSize == null ? ByteSize.parse("1TiB") : maxObjectSize;
    if (maxObjectSize.bytes() < 1024) {
      throw new IllegalArgumentException(
          "max_object_size: expected at least 1KB, got " + maxObjectSize);
    }
    nodeQuota = nodeQuota == null ? ByteSize.parse(DEFAULT_NODE_QUOTA) : nodeQuota;
    if (nodeQuota.bytes() < 1024) {
      throw new IllegalArgumentException("node_quota: expected at least 1KB, got " + nodeQuota);
    }
    reserve = reserve == null ? ByteSize.parse(DEFAULT_RESERVE) : reserve;
  }

  /** All defaults. */
  public static BackupsSection ofDefaults() {
    return new BackupsSection(null, null, null, null, null);
  }

  /**
   * {@code backups.keep:}.
   *
   * @param days an archive older than this many days (by its creation time) may be deleted, unless
   *     a kept archive depends on it; at least 1, default 30
   * @param minFull the newest fulls kept per node and set, with every archive depending on them,
   *     whatever their age; at least 1, default 2
   */
  public record Keep(Integer days, @JsonProperty("min_full") Integer minFull) {
    public Keep {
      days = days == null ? 30 : days;
      minFull = minFull == null ? 2 : minFull;
      if (days < 1) {
        throw new IllegalArgumentException("keep.days: must be at least 1, got " + days);
      }
      if (minFull < 1) {
        throw new IllegalArgumentException("keep.min_full: must be at least 1, got " + minFull);
      }
    }
  }
}
