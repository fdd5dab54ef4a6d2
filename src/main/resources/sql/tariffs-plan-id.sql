SELECT id FROM tariff_plan WHERE company_id = ? AND external_id = ?
