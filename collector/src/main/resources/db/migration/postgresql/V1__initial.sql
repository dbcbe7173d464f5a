-- Custos collector schema for PostgreSQL, version 1: the same tables as the SQLite store.
-- All times are UTC epoch milliseconds. Statements end with a semicolon at the end of a line.

CREATE TABLE hosts (
  name        TEXT    NOT NULL PRIMARY KEY,
  agent       TEXT    NOT NULL,
  tags        TEXT    NOT NULL DEFAULT '[]',
  interval_s  INTEGER NOT NULL,
  first_seen  BIGINT  NOT NULL,
  last_report BIGINT  NOT NULL,
  up_since    BIGINT  NOT NULL,
  last_seq    BIGINT  NOT NULL
);

-- One row per report ever stored: the primary key makes a replayed (node, seq) a no-op, also
-- across several collectors sharing this database.
CREATE TABLE reports (
  node     TEXT    NOT NULL,
  seq      BIGINT  NOT NULL,
  received BIGINT  NOT NULL,
  sent     BIGINT  NOT NULL,
  results  INTEGER NOT NULL,
  PRIMARY KEY (node, seq)
);

CREATE TABLE service_state (
  host        TEXT    NOT NULL,
  service     TEXT    NOT NULL,
  check_kind  TEXT,
  status      TEXT    NOT NULL CHECK (status IN ('OK', 'WARNING', 'CRITICAL', 'UNKNOWN')),
  output      TEXT    NOT NULL,
  long_output TEXT,
  last_check  BIGINT  NOT NULL,
  last_change BIGINT  NOT NULL,
  attempt     INTEGER NOT NULL CHECK (attempt >= 1),
  metrics     TEXT    NOT NULL DEFAULT '[]',
  PRIMARY KEY (host, service)
);

CREATE TABLE events (
  id         BIGSERIAL PRIMARY KEY,
  host       TEXT    NOT NULL,
  service    TEXT    NOT NULL,
  time       BIGINT  NOT NULL,
  old_status TEXT,
  new_status TEXT    NOT NULL,
  output     TEXT    NOT NULL
);

CREATE INDEX events_by_time ON events (time);

CREATE INDEX events_by_host ON events (host, time);

CREATE TABLE tokens (
  hash    TEXT    NOT NULL PRIMARY KEY,
  node    TEXT,
  role    TEXT    NOT NULL CHECK (role IN ('node', 'operator', 'admin')),
  created BIGINT  NOT NULL,
  CHECK ((role = 'node') = (node IS NOT NULL))
);
