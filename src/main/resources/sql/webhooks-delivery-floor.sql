-- where the claim's walk of the waiting deliveries starts: the oldest waiting one of an enabled endpoint, or past the
-- newest delivery when none waits. Below it the pending index holds only finished deliveries until a VACUUM, which
-- each walk from the start would step over. ORDER BY ... LIMIT 1, not MIN(): the walk stops at the first one of an
-- enabled endpoint (MIN over the join read every waiting delivery: 8 ms at 1,800 waiting on a loaded PostgreSQL)
SELECT COALESCE((SELECT d.id
                   FROM webhook_delivery d
                   JOIN webhook w ON w.id = d.webhook_id
                  WHERE d.state = 'pending' AND w.enabled = TRUE
                  ORDER BY d.id
                  LIMIT 1),
                (SELECT MAX(id) + 1 FROM webhook_delivery), 0)
