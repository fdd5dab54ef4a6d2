SELECT p.state, COUNT(*) FROM account a JOIN account_push p ON p.account_id = a.id
WHERE a.deleted_at IS NULL AND a.company_id IN (:companies) GROUP BY p.state
