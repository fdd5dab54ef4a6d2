UPDATE push_pause SET paused_until = ? WHERE company_id = ?
