-- Custos collector schema, version 1.
-- All times are UTC epoch milliseconds. Statements are separated by a semicolon at the end of a
-- line; comments are whole lines only.

CREATE TABLE hosts (
  name        TEXT    NOT NULL PRIMARY KEY,
  agent       TEXT    NOT NULL,
  tags        TEXT    NOT NULL DEFAULT '[]',
  interval_s  INTEGER NOT NULL,
  first_seen  INTEGER NOT NULL,
  last_report INTEGER NOT NULL,
  up_since    INTEGER NOT NULL,
  last_seq    INTEGER NOT NULL
);

-- One row per report ever stored: the primary key makes a replayed (node, seq) a no-op.
CREATE TABLE reports (
  node     TEXT    NOT NULL,
  seq      INTEGER NOT NULL,
  received INTEGER NOT NULL,
  sent     INTEGER NOT NULL,
  results  INTEGER NOT NULL,
  PRIMARY KEY (node, seq)
) WITHOUT ROWID;

CREATE TABLE service_state (
  host        TEXT    NOT NULL,
  service     TEXT    NOT NULL,
  check_kind  TEXT,
  status      TEXT    NOT NULL CHECK (status IN ('OK', 'WARNING', 'CRITICAL', 'UNKNOWN')),
  output      TEXT    NOT NULL,
  long_output TEXT,
  last_check  INTEGER NOT NULL,
  last_change INTEGER NOT NULL,
  attempt     INTEGER NOT NULL CHECK (attempt >= 1),
  metrics     TEXT    NOT NULL DEFAULT '[]',
  PRIMARY KEY (host, service)
);

CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  host       TEXT    NOT NULL,
  service    TEXT    NOT NULL,
  time       INTEGER NOT NULL,
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
  created INTEGER NOT NULL,
  CHECK ((role = 'node') = (node IS NOT NULL))
);
