DELETE FROM status_refresh_run WHERE id IN (
    SELECT id FROM status_refresh_run WHERE finished_at < ? ORDER BY id LIMIT ?)
