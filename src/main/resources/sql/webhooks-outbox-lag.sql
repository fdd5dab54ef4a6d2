-- the oldest event an enabled endpoint still waits for
SELECT MIN(e.occurred_at)
  FROM webhook_delivery d
  JOIN webhook w ON w.id = d.webhook_id
  JOIN event_outbox e ON e.seq = d.event_seq
 WHERE d.state = 'pending' AND w.enabled = TRUE
