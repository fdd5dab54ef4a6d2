SELECT p.tariff_plan_id, p.external_id, p.remote_id, p.name, p.type, p.price, p.optional,
p.position FROM tariff_package p JOIN tariff_plan t ON t.id = p.tariff_plan_id
WHERE t.company_id = ? ORDER BY p.tariff_plan_id, p.position
