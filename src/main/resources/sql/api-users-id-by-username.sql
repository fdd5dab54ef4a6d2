SELECT id FROM api_user WHERE username = ?
