package io.custos.collector.store;

import java.util.List;

/**
 * One page of the backup catalog.
 *
 * @param backups the rows of this page, newest first
 * @param total the number of rows matching the filter on all pages
 */
public record BackupPage(List<BackupRecord> backups, int total) {
  public BackupPage {
    backups = List.copyOf(backups);
  }
}
