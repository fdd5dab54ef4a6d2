SELECT
COALESCE(SUM(CASE WHEN s.online = TRUE THEN 1 ELSE 0 END), 0) AS "online",
COALESCE(SUM(CASE WHEN s.online = FALSE THEN 1 ELSE 0 END), 0) AS "offline",
COALESCE(SUM(CASE WHEN s.online IS NULL THEN 1 ELSE 0 END), 0) AS "unknown"
FROM account a LEFT JOIN account_remote_state s ON s.account_id = a.id
WHERE a.deleted_at IS NULL AND a.company_id IN (:companies)
