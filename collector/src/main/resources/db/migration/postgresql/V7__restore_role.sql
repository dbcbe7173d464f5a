-- Custos collector schema: the 'restore' token role (lists and downloads backup archives only).
-- 'viewer' (V6) stays allowed.

ALTER TABLE tokens DROP CONSTRAINT IF EXISTS tokens_role_check;

ALTER TABLE tokens ADD CONSTRAINT tokens_role_check
  CHECK (role IN ('node', 'operator', 'admin', 'viewer', 'restore'));
