SELECT id, username, role, password_hash, all_companies, enabled FROM api_user
WHERE username = ?
