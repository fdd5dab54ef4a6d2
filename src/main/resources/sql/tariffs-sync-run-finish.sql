UPDATE tariff_sync_run SET finished_at = ?, outcome = ?, attempts = ?, created = ?, updated = ?,
archived = ?, unchanged = ?, skipped = ?, error_kind = ?, error_detail = ? WHERE id = ?
