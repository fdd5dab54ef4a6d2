SELECT p.external_id, k.external_id
FROM tariff_package k JOIN tariff_plan p ON p.id = k.tariff_plan_id
WHERE p.company_id = ? AND p.archived_at IS NULL AND k.optional = TRUE
