SELECT COUNT(*) FROM account WHERE tariff_plan_id = :plan AND deleted_at IS NULL
AND packages LIKE :quoted ESCAPE '\'
