SELECT company_id AS "companyId",
paused_until AS "pausedUntil", reason FROM push_pause WHERE company_id IN (:companies)
AND paused_until > CURRENT_TIMESTAMP ORDER BY company_id
