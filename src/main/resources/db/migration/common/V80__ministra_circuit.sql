-- Per company, whether its Ministra answers (a circuit breaker shared by every node): after a run of transient
-- failures (connection refused, timeout, 5xx, garbled answer) the circuit opens; the company's pushes then wait
-- without spending attempts, one node probes Ministra at next_probe_at, and the first answer closes the circuit
-- and makes every waiting push of the company due at once. No row = never failed = reachable.
-- Portable SQL: runs unchanged on PostgreSQL 15+ and on H2 2.x in PostgreSQL mode.
CREATE TABLE ministra_circuit (
    company_id            BIGINT        PRIMARY KEY REFERENCES company (id) ON DELETE CASCADE,
    reachable             BOOLEAN       NOT NULL,
    -- transient failures in a row (any node), reset by a success; the circuit opens at the configured threshold
    consecutive_failures  INTEGER       NOT NULL,
    -- the first failure of the current run; NULL while Ministra answers
    failing_since         TIMESTAMP WITH TIME ZONE,
    -- while open: when a node probes next (a node takes the probe by moving it on, so only one node probes)
    next_probe_at         TIMESTAMP WITH TIME ZONE,
    last_failure          VARCHAR(2000),
    last_failure_kind     VARCHAR(40),
    last_failure_at       TIMESTAMP WITH TIME ZONE,
    -- when the circuit last closed again
    recovered_at          TIMESTAMP WITH TIME ZONE
);
