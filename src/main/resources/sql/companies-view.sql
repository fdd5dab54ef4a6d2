-- The companies and their Ministra's circuit (no circuit row: never failed, reachable).
SELECT id, name, ministra_base_url, ministra_user, connect_timeout_ms, read_timeout_ms, enabled,
       default_provision_status, version, created_at, updated_at,
       m.reachable, m.failing_since, m.next_probe_at, m.last_failure_kind, m.last_failure_at, m.recovered_at,
       m.latency_ms, m.latency_measured_at
FROM company LEFT JOIN ministra_circuit m ON m.company_id = company.id
WHERE id IN (:ids)
ORDER BY id
