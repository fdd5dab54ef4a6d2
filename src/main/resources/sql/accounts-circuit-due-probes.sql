-- The companies whose circuit is open and due for a probe.
SELECT company_id FROM ministra_circuit WHERE reachable = FALSE AND next_probe_at <= ? ORDER BY company_id
