UPDATE api_user SET enabled = ? WHERE id = ?
