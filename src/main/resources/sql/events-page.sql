SELECT seq, event_id, type, company_id, subject, occurred_at, data
  FROM event_outbox
 WHERE company_id IN (:companies) AND seq > :after AND occurred_at <= :visibleBefore
   AND (:everyType OR type IN (:types))
 ORDER BY seq
 LIMIT :limit
