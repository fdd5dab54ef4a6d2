SELECT id, external_id, remote_id, name, user_default, days_to_expires, archived_at
FROM tariff_plan WHERE company_id = ?
