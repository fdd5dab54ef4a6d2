SELECT a.login, a.login_key, a.account_number_key, a.stb_mac, a.status, t.external_id AS tariff, a.full_name,
       a.phone, a.expires_at, a.deleted_at
FROM account a LEFT JOIN tariff_plan t ON t.id = a.tariff_plan_id
WHERE a.company_id = ? AND a.login_key = ANY (?)
UNION ALL
SELECT a.login, a.login_key, a.account_number_key, a.stb_mac, a.status, t.external_id AS tariff, a.full_name,
       a.phone, a.expires_at, a.deleted_at
FROM account a LEFT JOIN tariff_plan t ON t.id = a.tariff_plan_id
WHERE a.company_id = ? AND a.account_number_key = ANY (?)
UNION ALL
SELECT a.login, a.login_key, a.account_number_key, a.stb_mac, a.status, t.external_id AS tariff, a.full_name,
       a.phone, a.expires_at, a.deleted_at
FROM account a LEFT JOIN tariff_plan t ON t.id = a.tariff_plan_id
WHERE a.company_id = ? AND a.stb_mac = ANY (?)
