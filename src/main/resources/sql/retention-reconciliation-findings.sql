DELETE FROM reconciliation_finding WHERE id IN (
    SELECT f.id FROM reconciliation_finding f JOIN reconciliation_run r ON r.id = f.run_id
     WHERE r.finished_at < ? ORDER BY f.id LIMIT ?)
