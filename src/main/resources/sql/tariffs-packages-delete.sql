DELETE FROM tariff_package WHERE tariff_plan_id = ?
