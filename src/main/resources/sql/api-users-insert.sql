INSERT INTO api_user (username, role, password_hash, all_companies) VALUES (?, ?, ?, ?)
