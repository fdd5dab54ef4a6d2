UPDATE reconciliation_run SET status = ?, finished_at = ?, accounts = ?, drafts = ?, remote_rows = ?, requests = ?,
    failure = ?
WHERE id = ?
