UPDATE status_lease SET holder = ?, expires_at = ? WHERE name = ?
AND (holder IS NULL OR expires_at < ?)
