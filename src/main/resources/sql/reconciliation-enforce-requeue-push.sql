UPDATE account_push SET state = 'pending', attempts = 0, next_attempt_at = ?,
requested_version = (SELECT version FROM account WHERE id = ?) WHERE account_id = ?
AND state NOT IN ('dead', 'draft')
