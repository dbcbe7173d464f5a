-- Custos collector schema: the backup catalog. Depends only on V1.

-- One row per finished backup run a report carried (BackupEvent), written in the report's ingest
-- transaction. The column is backup_set because SET is an SQL keyword. archive is null for a run
-- that failed before naming one; SQL unique indexes treat nulls as distinct, so the index below
-- keeps one row per (node, archive) and any number of unnamed failures.
CREATE TABLE backups (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  node       TEXT    NOT NULL,
  backup_set TEXT    NOT NULL,
  level      TEXT    NOT NULL CHECK (level IN ('full', 'diff', 'incr')),
  archive    TEXT,
  result     TEXT    NOT NULL,
  bytes      INTEGER NOT NULL,
  files      INTEGER NOT NULL,
  started    INTEGER NOT NULL,
  finished   INTEGER NOT NULL,
  message    TEXT    NOT NULL,
  received   INTEGER NOT NULL
);

CREATE UNIQUE INDEX backups_archive ON backups (node, archive);

CREATE INDEX backups_started ON backups (started);
