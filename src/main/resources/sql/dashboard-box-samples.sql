SELECT bucket_ms / 1000 AS "at", SUM(online_boxes) AS "online",
SUM(offline_boxes) AS "offline" FROM dashboard_box_sample WHERE company_id IN (:companies)
AND bucket_ms > :dayAgoMs GROUP BY bucket_ms ORDER BY bucket_ms
