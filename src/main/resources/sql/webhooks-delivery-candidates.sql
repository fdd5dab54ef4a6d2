-- due deliveries nobody holds, of enabled endpoints that may take more (:full have as many claimed as they may);
-- of each endpoint and ordering key only the oldest pending one, so that an account's events go out one at a time
-- and in order; from :floor on (webhooks-delivery-floor)
SELECT d.id, d.webhook_id
  FROM webhook_delivery d
  JOIN webhook w ON w.id = d.webhook_id
 WHERE d.state = 'pending' AND d.id >= :floor
   AND d.next_attempt_at <= :now AND (d.lease_until IS NULL OR d.lease_until < :now)
   AND w.enabled = TRUE AND d.webhook_id <> ALL(:full)
   AND NOT EXISTS (SELECT 1 FROM webhook_delivery e
                    WHERE e.webhook_id = d.webhook_id AND e.ordering_key = d.ordering_key AND e.state = 'pending'
                      AND e.id < d.id)
 ORDER BY d.id
 LIMIT :limit
