-- The status asked for is active, archived, or null for both.
SELECT t.id, t.company_id, t.external_id, t.remote_id, t.name, t.user_default, t.days_to_expires, t.archived_at,
       t.created_at, t.updated_at
FROM tariff_plan t
WHERE t.company_id IN (:ids)
  AND (CAST(:status AS VARCHAR) IS NULL
       OR CASE WHEN t.archived_at IS NULL THEN 'active' ELSE 'archived' END = CAST(:status AS VARCHAR))
ORDER BY t.company_id, t.external_id
