-- Custos collector schema: the 'restore' token role (lists and downloads backup archives only).
-- 'viewer' is allowed too: it is added by another change in parallel, and whichever migration
-- runs last must keep both.

ALTER TABLE tokens DROP CONSTRAINT IF EXISTS tokens_role_check;

ALTER TABLE tokens ADD CONSTRAINT tokens_role_check
  CHECK (role IN ('node', 'operator', 'admin', 'viewer', 'restore'));
