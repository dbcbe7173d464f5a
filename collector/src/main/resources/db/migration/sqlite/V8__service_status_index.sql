-- Custos collector schema: the service table by status, so the dashboard's problem list
-- (GET /api/v1/services?status=problems|unhandled|warning|...) reads only the rows it shows.

CREATE INDEX service_state_by_status ON service_state (status, host, service);
