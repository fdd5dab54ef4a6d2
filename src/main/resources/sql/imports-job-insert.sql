INSERT INTO import_job (company_id, kind, state, actor, holder, lease_until, started_at)
VALUES (?, ?, 'running', ?, ?, ?, ?)
