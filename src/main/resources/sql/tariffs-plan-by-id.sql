SELECT t.id, t.company_id, t.external_id, t.remote_id, t.name, t.user_default, t.days_to_expires, t.archived_at,
       t.created_at, t.updated_at
FROM tariff_plan t
WHERE t.id = :id AND t.company_id IN (:ids)
