UPDATE console_session SET last_seen_ms = ? WHERE token_hash = ?
