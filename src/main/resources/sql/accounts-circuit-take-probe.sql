-- Takes a due probe by moving the next one on (1 row: this node took it; 0: another node did).
UPDATE ministra_circuit SET next_probe_at = ? WHERE company_id = ? AND reachable = FALSE AND next_probe_at <= ?
