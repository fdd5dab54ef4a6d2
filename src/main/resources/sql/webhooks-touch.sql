UPDATE webhook SET updated_at = ? WHERE id = ?
