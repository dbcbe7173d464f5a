-- Custos collector schema: the viewer role (reads only; the wall screen's kiosk token).
-- SQLite cannot alter a CHECK constraint, so the tokens table is rebuilt with its rows.

CREATE TABLE tokens_v6 (
  hash      TEXT    NOT NULL PRIMARY KEY,
  node      TEXT,
  role      TEXT    NOT NULL CHECK (role IN ('node', 'operator', 'admin', 'viewer')),
  created   INTEGER NOT NULL,
  last_used INTEGER,
  CHECK ((role = 'node') = (node IS NOT NULL))
);

INSERT INTO tokens_v6 (hash, node, role, created, last_used)
  SELECT hash, node, role, created, last_used FROM tokens;

DROP TABLE tokens;

ALTER TABLE tokens_v6 RENAME TO tokens;
