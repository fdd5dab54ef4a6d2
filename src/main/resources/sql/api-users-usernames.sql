SELECT username FROM api_user ORDER BY username
