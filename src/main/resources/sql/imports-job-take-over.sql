UPDATE import_job SET holder = ?, lease_until = ?
WHERE id = ? AND state = 'running' AND lease_until < ?
