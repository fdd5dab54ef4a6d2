INSERT INTO account_push (account_id, company_id, state, requested_version, attempts,
next_attempt_at) SELECT id, company_id, 'pending', version, 0, ? FROM account WHERE id = ?
AND NOT EXISTS (SELECT 1 FROM account_push WHERE account_id = ?)
