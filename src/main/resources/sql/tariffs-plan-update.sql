UPDATE tariff_plan SET remote_id = ?, name = ?, user_default = ?, days_to_expires = ?,
archived_at = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = ?
