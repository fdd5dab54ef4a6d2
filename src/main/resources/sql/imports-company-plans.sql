SELECT external_id, archived_at FROM tariff_plan WHERE company_id = ?
