SELECT * FROM account_remote_state WHERE account_id = ?
