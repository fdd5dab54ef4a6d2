DELETE FROM webhook WHERE id = ?
