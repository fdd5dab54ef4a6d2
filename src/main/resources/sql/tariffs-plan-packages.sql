SELECT external_id, remote_id, name, type, price, optional, position
FROM tariff_package WHERE tariff_plan_id = :plan ORDER BY position
