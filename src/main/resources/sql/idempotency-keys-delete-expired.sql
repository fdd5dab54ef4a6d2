DELETE FROM idempotency_key WHERE user_id = ? AND idem_key = ? AND created_at < ?
