UPDATE api_token SET secret_hash = ?, user_id = ?, revoked_at = NULL WHERE id = ?
