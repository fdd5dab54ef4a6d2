SELECT COUNT(*) FROM account
WHERE company_id = ? AND stb_mac = ? AND id <> ?
