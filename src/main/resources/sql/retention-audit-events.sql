DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event WHERE occurred_at < ? ORDER BY id LIMIT ?)
