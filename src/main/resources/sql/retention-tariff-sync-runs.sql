DELETE FROM tariff_sync_run WHERE id IN (
    SELECT id FROM tariff_sync_run WHERE finished_at < ? ORDER BY id LIMIT ?)
