UPDATE idempotency_key SET status_code = ?, response = ?, location = ?, etag = ?
WHERE user_id = ? AND idem_key = ?
