SELECT id, login, account_number, full_name, status, stb_mac,
expires_at FROM account WHERE tariff_plan_id = :plan ORDER BY login_key, id
LIMIT :limit OFFSET :offset
