SELECT secret_hash FROM api_token WHERE id = ?
