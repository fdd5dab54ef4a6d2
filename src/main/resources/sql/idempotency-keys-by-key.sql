SELECT fingerprint, status_code, response, location, etag
FROM idempotency_key WHERE user_id = ? AND idem_key = ?
