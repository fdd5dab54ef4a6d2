-- Dead letters of the companies asked about, oldest first, at most :limit. A filter given as NULL filters nothing:
-- :status (open, replayed or discarded), :cause (a failure kind or internal), :deadBefore (dead at or before).
SELECT id, company_id, account_id, login, operation, cause, ministra_error, detail, attempts, first_failed_at,
       dead_at, payload, status, resolved_at, resolved_by
  FROM dead_letter
 WHERE company_id IN (:companies)
   AND (CAST(:status AS VARCHAR) IS NULL OR status = :status)
   AND (CAST(:cause AS VARCHAR) IS NULL OR cause = :cause)
   AND (CAST(:deadBefore AS TIMESTAMP WITH TIME ZONE) IS NULL OR dead_at <= :deadBefore)
 ORDER BY id
 LIMIT :limit
