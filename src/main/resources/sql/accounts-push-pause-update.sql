UPDATE push_pause SET paused_at = ?, paused_until = ?, reason = ? WHERE company_id = ?
