INSERT INTO import_source (job_id, content) VALUES (?, ?)
