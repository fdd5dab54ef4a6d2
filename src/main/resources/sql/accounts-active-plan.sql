-- The company's active (not archived) tariff plan of this external id.
SELECT id FROM tariff_plan WHERE company_id = ? AND external_id = ? AND archived_at IS NULL
