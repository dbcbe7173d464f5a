-- Custos collector schema: what operators do. Depends only on V1.

-- When the token last authenticated a request (collector clock, written at most once a minute per
-- token); null for a token never used.
ALTER TABLE tokens ADD COLUMN last_used INTEGER;
