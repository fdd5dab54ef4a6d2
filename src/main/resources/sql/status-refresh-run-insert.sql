INSERT INTO status_refresh_run (company_id, trigger_kind,
actor, started_at, outcome) VALUES (?, ?, ?, ?, 'running')
