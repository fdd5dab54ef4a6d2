-- How fast the company's Ministra answered when last measured (a connection test, a probe, or a push's last call;
-- pushes write it at most every few seconds per node): the console's dashboard shows it beside the reachability.
-- Portable SQL: runs unchanged on PostgreSQL 15+ and on H2 2.x in PostgreSQL mode.
ALTER TABLE ministra_circuit ADD COLUMN latency_ms INTEGER;
ALTER TABLE ministra_circuit ADD COLUMN latency_measured_at TIMESTAMP WITH TIME ZONE;
