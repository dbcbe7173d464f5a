-- Custos collector schema, version 2: metric history (see JdbcHistory).

-- One row per series of a host. rolled_5m / rolled_1h: the 5-minute and 1-hour tiers are
-- computed up to (not including) these times.
CREATE TABLE series (
  id         INTEGER PRIMARY KEY,
  host       TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  labels     TEXT    NOT NULL,
  unit       TEXT,
  first_time INTEGER NOT NULL,
  rolled_5m  INTEGER NOT NULL,
  rolled_1h  INTEGER NOT NULL,
  UNIQUE (host, name, labels)
);

CREATE INDEX series_rolled_5m ON series (rolled_5m);

CREATE INDEX series_rolled_1h ON series (rolled_1h);

-- The samples of one report, written in the report's transaction; compacted into chunks.
CREATE TABLE metric_head (
  host    TEXT    NOT NULL,
  seq     INTEGER NOT NULL,
  time    INTEGER NOT NULL,
  samples BLOB    NOT NULL,
  PRIMARY KEY (host, seq)
) WITHOUT ROWID;

-- Compressed runs of one series. res: 0 raw samples, 1 five-minute buckets, 2 one-hour buckets.
CREATE TABLE chunks (
  id         INTEGER PRIMARY KEY,
  series_id  INTEGER NOT NULL REFERENCES series (id),
  res        INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time   INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  data       BLOB    NOT NULL
);

CREATE INDEX chunks_by_series ON chunks (series_id, res, end_time);

-- Retention deletes by tier and age.
CREATE INDEX chunks_by_age ON chunks (res, end_time);
