SELECT id, kind, account_id, login, field, ours, theirs FROM reconciliation_finding
WHERE run_id = :run AND account_id IN (:accounts) AND kind IN ('drift', 'missing_in_ministra')
ORDER BY account_id, id
