SELECT kind, COUNT(*) FROM reconciliation_finding WHERE run_id = ? GROUP BY kind
