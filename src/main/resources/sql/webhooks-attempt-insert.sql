INSERT INTO webhook_attempt (webhook_id, delivery_id, event_id, event_type, attempted_at, outcome, status_code,
                             latency_ms, error, response_excerpt)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
