DELETE FROM idempotency_key WHERE (user_id, idem_key) IN (
    SELECT user_id, idem_key FROM idempotency_key WHERE created_at < ? ORDER BY created_at LIMIT ?)
