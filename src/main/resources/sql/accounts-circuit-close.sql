-- Closes an open circuit: Ministra answered (1 row: it closed now).
UPDATE ministra_circuit
   SET reachable = TRUE, consecutive_failures = 0, failing_since = NULL, next_probe_at = NULL, recovered_at = ?
 WHERE company_id = ? AND reachable = FALSE
