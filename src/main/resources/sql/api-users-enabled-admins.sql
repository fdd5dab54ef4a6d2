SELECT COUNT(*) FROM api_user WHERE role = 'admin' AND enabled
