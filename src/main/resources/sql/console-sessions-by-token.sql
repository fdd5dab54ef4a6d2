SELECT s.user_id, s.last_seen_ms FROM console_session s
JOIN api_user u ON u.id = s.user_id WHERE s.token_hash = ? AND u.enabled
