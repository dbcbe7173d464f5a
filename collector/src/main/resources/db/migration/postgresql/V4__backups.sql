-- Custos collector schema for PostgreSQL: the backup catalog, as the SQLite V4. Depends only on V1.

-- One row per finished backup run a report carried (BackupEvent), written in the report's ingest
-- transaction. The column is backup_set because SET is an SQL keyword. archive is null for a run
-- that failed before naming one; unique indexes treat nulls as distinct, so the index below keeps
-- one row per (node, archive) and any number of unnamed failures.
CREATE TABLE backups (
  id         BIGSERIAL PRIMARY KEY,
  node       TEXT    NOT NULL,
  backup_set TEXT    NOT NULL,
  level      TEXT    NOT NULL CHECK (level IN ('full', 'diff', 'incr')),
  archive    TEXT,
  result     TEXT    NOT NULL,
  bytes      BIGINT  NOT NULL,
  files      BIGINT  NOT NULL,
  started    BIGINT  NOT NULL,
  finished   BIGINT  NOT NULL,
  message    TEXT    NOT NULL,
  received   BIGINT  NOT NULL
);

CREATE UNIQUE INDEX backups_archive ON backups (node, archive);

CREATE INDEX backups_started ON backups (started);
