-- An event and its deliveries, one to each webhook of the array (none when it is empty), in one statement: an outbox
-- write per event rather than two, and no lookup of the event by its id
WITH event AS (
    INSERT INTO event_outbox (event_id, type, company_id, subject, occurred_at, data)
    VALUES (?, ?, ?, ?, ?, ?)
    RETURNING seq)
INSERT INTO webhook_delivery (webhook_id, event_seq, ordering_key, state, attempts, next_attempt_at, created_at)
SELECT w.id, event.seq, ?, 'pending', 0, ?, ?
  FROM event, unnest(?::bigint[]) AS w (id)
