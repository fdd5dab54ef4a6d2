SELECT hour_start AS "hour",
SUM(CASE WHEN action = 'push' THEN 1 ELSE 0 END) AS "succeeded",
SUM(CASE WHEN action = 'dead-letter' THEN 1 ELSE 0 END) AS "deadLettered"
FROM (SELECT CAST(FLOOR(EXTRACT(EPOCH FROM occurred_at) / 3600) AS BIGINT) * 3600 AS hour_start,
action FROM audit_event WHERE action IN ('push', 'dead-letter') AND company_id IN (:companies)
AND occurred_at > :dayAgo) e GROUP BY hour_start ORDER BY hour_start
