SELECT t.user_id, t.secret_hash FROM api_token t
JOIN api_user u ON u.id = t.user_id WHERE t.id = ? AND t.revoked_at IS NULL AND u.enabled
