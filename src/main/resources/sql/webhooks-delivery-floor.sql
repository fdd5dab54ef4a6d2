-- where the claim's walk of the waiting deliveries starts: the oldest waiting one of an enabled endpoint, or past the
-- newest delivery when none waits. Below it the pending index holds only finished deliveries until a VACUUM, which
-- each walk from the start would step over
SELECT COALESCE((SELECT MIN(d.id)
                   FROM webhook_delivery d
                   JOIN webhook w ON w.id = d.webhook_id
                  WHERE d.state = 'pending' AND w.enabled = TRUE),
                (SELECT MAX(id) + 1 FROM webhook_delivery), 0)
