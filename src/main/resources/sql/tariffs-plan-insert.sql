INSERT INTO tariff_plan (company_id, external_id, remote_id, name, user_default, days_to_expires)
VALUES (?, ?, ?, ?, ?, ?)
