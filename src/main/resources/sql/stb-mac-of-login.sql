SELECT COALESCE(a.stb_mac, NULLIF(r.stb_mac, '')) FROM account a
LEFT JOIN account_remote_state r ON r.account_id = a.id AND r.found
WHERE a.company_id = ? AND a.login_key = ? AND a.deleted_at IS NULL
