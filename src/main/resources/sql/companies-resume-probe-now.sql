UPDATE ministra_circuit SET next_probe_at = ? WHERE company_id = ? AND reachable = FALSE
