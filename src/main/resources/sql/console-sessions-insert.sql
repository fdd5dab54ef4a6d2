INSERT INTO console_session (token_hash, user_id, created_ms, last_seen_ms) VALUES (?, ?, ?, ?)
