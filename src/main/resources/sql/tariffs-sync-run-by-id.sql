SELECT r.id, r.company_id, r.run_trigger, r.actor, r.scheduled_for, r.started_at, r.finished_at, r.outcome,
       r.attempts, r.created, r.updated, r.archived, r.unchanged, r.skipped, r.error_kind, r.error_detail
FROM tariff_sync_run r
WHERE r.id = :id
