SELECT DISTINCT account_id FROM reconciliation_finding
WHERE run_id = ? AND account_id > ? AND kind IN ('drift', 'missing_in_ministra')
ORDER BY account_id
LIMIT ?
