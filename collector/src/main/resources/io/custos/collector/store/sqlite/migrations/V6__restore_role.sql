-- Custos collector schema: the 'restore' token role (lists and downloads backup archives only).
-- SQLite cannot alter a CHECK constraint, so the tokens table is rebuilt. 'viewer' is allowed
-- too: it is added by another change in parallel, and whichever migration runs last must keep
-- both.

CREATE TABLE tokens_new (
  hash      TEXT    NOT NULL PRIMARY KEY,
  node      TEXT,
  role      TEXT    NOT NULL
            CHECK (role IN ('node', 'operator', 'admin', 'viewer', 'restore')),
  created   INTEGER NOT NULL,
  last_used INTEGER,
  CHECK ((role = 'node') = (node IS NOT NULL))
);

INSERT INTO tokens_new (hash, node, role, created, last_used)
  SELECT hash, node, role, created, last_used FROM tokens;

DROP TABLE tokens;

ALTER TABLE tokens_new RENAME TO tokens;
