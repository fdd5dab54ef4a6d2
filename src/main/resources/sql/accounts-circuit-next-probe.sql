-- The next probe of the company's open circuit (no row: the circuit is closed).
SELECT next_probe_at FROM ministra_circuit WHERE company_id = ? AND reachable = FALSE
