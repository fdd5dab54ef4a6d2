SELECT d.id, d.webhook_id, w.company_id, d.state, d.attempts, d.last_status, d.last_error, d.finished_at,
       e.event_id, e.type, e.subject
  FROM webhook_delivery d
  JOIN webhook w ON w.id = d.webhook_id
  JOIN event_outbox e ON e.seq = d.event_seq
 WHERE d.state = 'dead' AND w.company_id IN (:companies) AND (:everyWebhook OR d.webhook_id = :webhook)
 ORDER BY d.id
 LIMIT :limit
