UPDATE api_user SET all_companies = ? WHERE id = ?
