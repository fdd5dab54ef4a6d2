SELECT company_id, url, secret_enc, previous_secret_enc, previous_secret_until FROM webhook WHERE id = ?
