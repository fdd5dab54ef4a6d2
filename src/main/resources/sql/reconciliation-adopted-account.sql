SELECT a.login, a.status, p.external_id AS tariff,
a.full_name, a.phone, a.stb_mac, a.packages FROM account a LEFT JOIN tariff_plan p
ON p.id = a.tariff_plan_id WHERE a.id = ? AND a.company_id = ?
