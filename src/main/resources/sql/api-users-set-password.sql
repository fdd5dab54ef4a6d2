UPDATE api_user SET password_hash = ? WHERE id = ?
