-- How fast the company's Ministra last answered, for the dashboard.
UPDATE ministra_circuit SET latency_ms = ?, latency_measured_at = ? WHERE company_id = ?
