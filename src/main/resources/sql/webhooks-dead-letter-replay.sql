UPDATE webhook_delivery SET state = 'pending', attempts = 0, next_attempt_at = :now, finished_at = NULL
 WHERE id = :id AND state = 'dead'
