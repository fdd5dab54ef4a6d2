UPDATE account_push
   SET next_attempt_at = ?
 WHERE company_id = ? AND state IN ('pending', 'retrying') AND next_attempt_at < ?
