INSERT INTO account (company_id, login, login_key, full_name, phone, account_number,
account_number_key, tariff_plan_id, status, stb_mac) VALUES (?, ?, ?, ?, ?, ?, ?,
?, ?, ?)
