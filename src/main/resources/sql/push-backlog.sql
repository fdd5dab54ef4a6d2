SELECT state, COUNT(*) AS accounts, MIN(next_attempt_at) AS oldest_due
  FROM account_push
 WHERE state IN ('pending', 'retrying')
 GROUP BY state
