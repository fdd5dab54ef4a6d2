INSERT INTO import_row (job_id, line, login, outcome, field, reason) VALUES (?, ?, ?, ?, ?, ?)
