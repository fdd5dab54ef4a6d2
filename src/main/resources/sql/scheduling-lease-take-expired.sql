UPDATE status_lease SET holder = ?, expires_at = ? WHERE name = ? AND expires_at < ?
