DELETE FROM reconciliation_run WHERE id IN (
    SELECT id FROM reconciliation_run WHERE finished_at < ? ORDER BY id LIMIT ?)
