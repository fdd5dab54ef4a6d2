UPDATE webhook SET description = ? WHERE id = ?
