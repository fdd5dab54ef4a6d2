SELECT f.company_id, f.kind, f.remote, f.resolution,
r.status FROM reconciliation_finding f JOIN reconciliation_run r ON r.id = f.run_id
WHERE f.id = ? AND f.run_id = ?
