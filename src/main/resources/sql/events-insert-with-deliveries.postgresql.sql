-- An event and its deliveries, in one statement, and the audit entry it comes from when there is one (the first
-- seven values, all NULL when there is none): one delivery to each enabled webhook of the event's company whose type
-- patterns match it, matched as EventTypes.matches matches them (the other databases' path): '*', the type itself,
-- or a prefix ending in '.*' ("account.*"); patterns are stored comma-separated, blanks around them ignored.
-- One round trip per event rather than four (the audit entry, the subscribers, the event, its deliveries); the
-- count is the deliveries written.
WITH entry AS (
    INSERT INTO audit_event (actor, company_id, subject, subject_id, action, outcome, details)
    SELECT given.actor, given.company_id, given.subject, given.subject_id, given.action, given.outcome, given.details
      FROM (VALUES (CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS VARCHAR),
                    CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR)))
           AS given (actor, company_id, subject, subject_id, action, outcome, details)
     WHERE given.actor IS NOT NULL),
event AS (
    INSERT INTO event_outbox (event_id, type, company_id, subject, occurred_at, data)
    VALUES (?, ?, ?, ?, ?, ?)
    RETURNING seq, type, company_id)
INSERT INTO webhook_delivery (webhook_id, event_seq, ordering_key, state, attempts, next_attempt_at, created_at)
SELECT w.id, event.seq, ?, 'pending', 0, ?, ?
  FROM event JOIN webhook w ON w.company_id = event.company_id AND w.enabled = TRUE
 WHERE EXISTS (SELECT 1
                 FROM (SELECT btrim(unnest(string_to_array(w.event_types, ','))) AS pattern) AS p
                WHERE p.pattern = '*' OR p.pattern = event.type
                   OR right(p.pattern, 2) = '.*' AND starts_with(event.type, left(p.pattern, -1)))
