SELECT external_id FROM tariff_package WHERE tariff_plan_id = ?
AND optional = TRUE
