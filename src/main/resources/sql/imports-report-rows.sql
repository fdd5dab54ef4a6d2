SELECT line, login, outcome, field, reason FROM import_row WHERE job_id = ? ORDER BY line
