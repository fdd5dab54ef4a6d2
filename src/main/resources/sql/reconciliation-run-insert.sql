INSERT INTO reconciliation_run (company_id, policy, full_listing, actor, status, started_at)
VALUES (?, ?, ?, ?, 'running', ?)
