UPDATE import_job SET lease_until = ? WHERE id = ? AND holder = ? AND state = 'running'
