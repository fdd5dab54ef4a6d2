SELECT COUNT(*) FROM audit_event
WHERE action = 'push' AND company_id IN (:companies) AND occurred_at > :hourAgo
