-- Custos collector schema for PostgreSQL: the alert engine, as the SQLite V3. Depends only on V1.

-- The state machine's memory per (host, service), an opaque JSON document owned by the engine.
CREATE TABLE alert_state (
  host    TEXT NOT NULL,
  service TEXT NOT NULL,
  state   TEXT NOT NULL,
  PRIMARY KEY (host, service)
);

-- Notifications to deliver, one row per (notice, transport), written in the same transaction as
-- the state change that caused them. due: earliest send time (group_wait); next_attempt: backoff.
-- claimed_by/claimed_until: which collector (of several on this database) is sending the row, and
-- until when; another collector takes it over only once the claim has expired.
CREATE TABLE outbox (
  id            BIGSERIAL PRIMARY KEY,
  transport     TEXT    NOT NULL,
  host          TEXT    NOT NULL,
  created       BIGINT  NOT NULL,
  due           BIGINT  NOT NULL,
  payload       TEXT    NOT NULL,
  state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  next_attempt  BIGINT  NOT NULL,
  last_error    TEXT,
  done          BIGINT,
  claimed_by    TEXT,
  claimed_until BIGINT
);

CREATE INDEX outbox_pending ON outbox (transport, state, next_attempt);

CREATE TABLE acks (
  id      BIGSERIAL PRIMARY KEY,
  host    TEXT    NOT NULL,
  service TEXT    NOT NULL,
  author  TEXT    NOT NULL,
  comment TEXT    NOT NULL,
  sticky  BOOLEAN NOT NULL,
  created BIGINT  NOT NULL
);

CREATE TABLE downtimes (
  id       BIGSERIAL PRIMARY KEY,
  host     TEXT,
  service  TEXT,
  grp      TEXT,
  start    BIGINT  NOT NULL,
  end_time BIGINT  NOT NULL,
  weekly   TEXT,
  author   TEXT    NOT NULL,
  comment  TEXT    NOT NULL,
  created  BIGINT  NOT NULL,
  CHECK ((host IS NULL) <> (grp IS NULL))
);

-- What kind of event a row is: 'state' (a status change, as in V1) or 'alert' (the engine's
-- notes: soft/hard, notifications sent, failed or suppressed and why, acks, flapping).
ALTER TABLE events ADD COLUMN kind TEXT NOT NULL DEFAULT 'state';
