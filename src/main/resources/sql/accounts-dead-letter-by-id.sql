-- One dead letter, if it belongs to one of the companies asked about.
SELECT id, company_id, account_id, login, operation, cause, ministra_error, detail, attempts, first_failed_at,
       dead_at, payload, status, resolved_at, resolved_by
  FROM dead_letter
 WHERE id = :id AND company_id IN (:companies)
