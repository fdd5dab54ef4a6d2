-- The optional packages of a tariff plan (the ones a subscriber may add), by external id.
SELECT external_id FROM tariff_package WHERE tariff_plan_id = ? AND optional = TRUE ORDER BY external_id
