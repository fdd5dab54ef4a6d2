UPDATE tariff_sync_run SET outcome = 'failed', finished_at = ?, error_kind = 'abandoned',
error_detail = 'The node running this sync stopped before it finished' WHERE company_id = ?
AND outcome = 'running' AND started_at < ?
