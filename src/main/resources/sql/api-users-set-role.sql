UPDATE api_user SET role = ? WHERE id = ?
