-- A page of a company's accounts as status and reconciliation compare them (LocalAccount), after an id.
SELECT a.id, a.company_id, a.login, a.account_number, a.stb_mac, a.status, p.external_id AS tariff, a.full_name,
       a.phone, ap.state AS push_state, a.packages
FROM account a
LEFT JOIN tariff_plan p ON p.id = a.tariff_plan_id
LEFT JOIN account_push ap ON ap.account_id = a.id
WHERE a.company_id = ? AND a.id > ?
ORDER BY a.id
LIMIT ?
