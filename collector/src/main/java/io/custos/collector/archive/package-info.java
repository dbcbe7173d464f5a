/**
 * The collector's append-only archive store: nodes upload their backup archives and manifests (age-
 * encrypted or not) as opaque objects; the collector keeps an unencrypted index beside each one
 * (level, base, size, times — never the file names inside) and applies retention from it. See
 * {@link io.custos.collector.archive.ArchiveStore} and {@link
 * io.custos.collector.archive.ArchiveRetention}.
 */
package io.custos.collector.archive;
