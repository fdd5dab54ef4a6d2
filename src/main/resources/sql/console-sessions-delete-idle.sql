DELETE FROM console_session WHERE last_seen_ms < ?
