UPDATE account SET tariff_plan_id = ? WHERE id = ?
