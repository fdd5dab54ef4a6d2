DELETE FROM api_user_company WHERE user_id = ?
