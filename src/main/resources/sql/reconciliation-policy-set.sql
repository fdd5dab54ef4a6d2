MERGE INTO reconciliation_policy t USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(16)),
CAST(? AS VARCHAR(100)))) AS s(company_id, policy, changed_by) ON t.company_id = s.company_id
WHEN MATCHED THEN UPDATE SET policy = s.policy, changed_by = s.changed_by,
changed_at = CURRENT_TIMESTAMP
WHEN NOT MATCHED THEN INSERT (company_id, policy, changed_by) VALUES (s.company_id, s.policy,
s.changed_by)
