-- Custos collector schema: the alert engine. Depends only on V1, so it applies whether or not
-- other migrations came before it.

-- The state machine's memory per (host, service), an opaque JSON document owned by the engine.
CREATE TABLE alert_state (
  host    TEXT NOT NULL,
  service TEXT NOT NULL,
  state   TEXT NOT NULL,
  PRIMARY KEY (host, service)
);

-- Notifications to deliver, one row per (notice, transport), written in the same transaction as
-- the state change that caused them. due: earliest send time (group_wait); next_attempt: backoff.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  transport    TEXT    NOT NULL,
  host         TEXT    NOT NULL,
  created      INTEGER NOT NULL,
  due          INTEGER NOT NULL,
  payload      TEXT    NOT NULL,
  state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL,
  last_error   TEXT,
  done         INTEGER
);

CREATE INDEX outbox_pending ON outbox (transport, state, next_attempt);

CREATE TABLE acks (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  host    TEXT    NOT NULL,
  service TEXT    NOT NULL,
  author  TEXT    NOT NULL,
  comment TEXT    NOT NULL,
  sticky  INTEGER NOT NULL,
  created INTEGER NOT NULL
);

CREATE TABLE downtimes (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  host     TEXT,
  service  TEXT,
  grp      TEXT,
  start    INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  weekly   TEXT,
  author   TEXT    NOT NULL,
  comment  TEXT    NOT NULL,
  created  INTEGER NOT NULL,
  CHECK ((host IS NULL) <> (grp IS NULL))
);

-- What kind of event a row is: 'state' (a status change, as in V1) or 'alert' (the engine's
-- notes: soft/hard, notifications sent, failed or suppressed and why, acks, flapping).
ALTER TABLE events ADD COLUMN kind TEXT NOT NULL DEFAULT 'state';
