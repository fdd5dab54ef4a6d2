INSERT INTO webhook_delivery (webhook_id, event_seq, ordering_key, state, attempts, next_attempt_at, created_at)
SELECT ?, seq, ?, 'pending', 0, ?, ? FROM event_outbox WHERE event_id = ?
