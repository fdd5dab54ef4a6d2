INSERT INTO idempotency_key (user_id, idem_key, fingerprint, status_code, created_at)
VALUES (?, ?, ?, 0, ?)
