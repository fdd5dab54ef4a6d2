UPDATE account SET expires_at = ? WHERE id = ?
