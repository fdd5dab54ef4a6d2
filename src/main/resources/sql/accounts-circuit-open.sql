-- Opens a closed circuit that has reached the failure threshold, with its first probe's time (1 row: it opened now).
UPDATE ministra_circuit SET reachable = FALSE, next_probe_at = ?
 WHERE company_id = ? AND reachable = TRUE AND consecutive_failures >= ?
