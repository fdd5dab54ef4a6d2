MERGE INTO dashboard_box_sample t USING (SELECT a.company_id,
SUM(CASE WHEN s.online = TRUE THEN 1 ELSE 0 END) AS online_boxes,
SUM(CASE WHEN s.online = FALSE THEN 1 ELSE 0 END) AS offline_boxes,
SUM(CASE WHEN s.online IS NULL THEN 1 ELSE 0 END) AS unknown_boxes
FROM account a LEFT JOIN account_remote_state s ON s.account_id = a.id
WHERE a.deleted_at IS NULL GROUP BY a.company_id) c
ON t.company_id = c.company_id AND t.bucket_ms = :bucket
WHEN MATCHED THEN UPDATE SET online_boxes = c.online_boxes, offline_boxes = c.offline_boxes,
unknown_boxes = c.unknown_boxes
WHEN NOT MATCHED THEN INSERT (company_id, bucket_ms, online_boxes, offline_boxes, unknown_boxes)
VALUES (c.company_id, :bucket, c.online_boxes, c.offline_boxes, c.unknown_boxes)
