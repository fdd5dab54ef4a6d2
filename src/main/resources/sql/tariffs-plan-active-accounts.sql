SELECT COUNT(*) FROM account WHERE tariff_plan_id = :plan
AND status = 'active'
