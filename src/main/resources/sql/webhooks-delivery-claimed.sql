SELECT d.id, d.webhook_id, d.attempts, w.company_id, w.url, w.secret_enc, w.previous_secret_enc,
       w.previous_secret_until, w.failing_since, e.event_id, e.type, e.subject, e.occurred_at, e.data
  FROM webhook_delivery d
  JOIN webhook w ON w.id = d.webhook_id
  JOIN event_outbox e ON e.seq = d.event_seq
 WHERE d.id = ANY(:ids) AND d.claim_token = :token
 ORDER BY d.id
