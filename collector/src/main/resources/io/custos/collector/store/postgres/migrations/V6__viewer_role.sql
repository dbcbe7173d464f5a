-- Custos collector schema: the viewer role (reads only; the wall screen's kiosk token).

ALTER TABLE tokens DROP CONSTRAINT tokens_role_check;

ALTER TABLE tokens ADD CONSTRAINT tokens_role_check
  CHECK (role IN ('node', 'operator', 'admin', 'viewer'));
