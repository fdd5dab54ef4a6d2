-- Moves the company's waiting pushes (pending or retrying, held by no node) that are due before the next probe to it.
UPDATE account_push SET next_attempt_at = ?
 WHERE company_id = ? AND state IN ('pending', 'retrying') AND (lease_until IS NULL OR lease_until < ?)
   AND next_attempt_at < ?
