UPDATE status_refresh_run SET finished_at = ?, outcome = ?, accounts = ?, found = ?,
not_found = ?, unreadable = ?, failed_batches = ?, requests = ?, transitions = ?, error = ?
WHERE id = ?
