SELECT COUNT(*) FROM api_token WHERE user_id = ? AND revoked_at IS NULL
