SELECT COUNT(*) FROM push_pause WHERE paused_until > ?
