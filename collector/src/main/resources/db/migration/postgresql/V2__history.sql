-- Custos collector schema for PostgreSQL, version 2: metric history (see JdbcHistory).

CREATE TABLE series (
  id         BIGSERIAL PRIMARY KEY,
  host       TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  labels     TEXT    NOT NULL,
  unit       TEXT,
  first_time BIGINT  NOT NULL,
  rolled_5m  BIGINT  NOT NULL,
  rolled_1h  BIGINT  NOT NULL,
  UNIQUE (host, name, labels)
);

CREATE INDEX series_rolled_5m ON series (rolled_5m);

CREATE INDEX series_rolled_1h ON series (rolled_1h);

CREATE TABLE metric_head (
  host    TEXT    NOT NULL,
  seq     BIGINT  NOT NULL,
  time    BIGINT  NOT NULL,
  samples BYTEA   NOT NULL,
  PRIMARY KEY (host, seq)
);

CREATE TABLE chunks (
  id         BIGSERIAL PRIMARY KEY,
  series_id  BIGINT  NOT NULL REFERENCES series (id),
  res        INTEGER NOT NULL,
  start_time BIGINT  NOT NULL,
  end_time   BIGINT  NOT NULL,
  count      INTEGER NOT NULL,
  data       BYTEA   NOT NULL
);

CREATE INDEX chunks_by_series ON chunks (series_id, res, end_time);

-- Retention deletes by tier and age.
CREATE INDEX chunks_by_age ON chunks (res, end_time);
