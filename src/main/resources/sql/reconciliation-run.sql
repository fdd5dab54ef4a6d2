SELECT * FROM reconciliation_run WHERE id = ?
