SELECT id FROM account WHERE company_id = ? AND login_key = ?
