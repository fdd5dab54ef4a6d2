SELECT 1 FROM account_push WHERE account_id = ? AND state = 'draft'
