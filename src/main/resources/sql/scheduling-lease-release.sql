UPDATE status_lease SET holder = NULL, expires_at = ? WHERE name = ? AND holder = ?
