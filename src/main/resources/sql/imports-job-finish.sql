UPDATE import_job SET state = ?, failure = ?, finished_at = ?, holder = NULL
WHERE id = ? AND holder = ?
