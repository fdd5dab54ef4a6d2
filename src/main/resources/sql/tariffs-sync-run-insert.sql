INSERT INTO tariff_sync_run (company_id,
run_trigger, actor, scheduled_for, started_at, outcome) VALUES (?, ?, ?, ?, ?, 'running')
