SELECT a.id, a.delivery_id, a.event_id, a.event_type, a.attempted_at, a.outcome, a.status_code, a.latency_ms,
       a.error, a.response_excerpt, d.attempts AS delivery_attempts, d.state AS delivery_state
  FROM webhook_attempt a
  LEFT JOIN webhook_delivery d ON d.id = a.delivery_id
 WHERE a.webhook_id = :id
 ORDER BY a.id DESC
 LIMIT :limit
