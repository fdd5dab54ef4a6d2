INSERT INTO api_token (id, user_id, secret_hash) VALUES (?, ?, ?)
