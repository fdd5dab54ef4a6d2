-- Makes the company's waiting pushes (pending or retrying, held by no node) due now, once its circuit closed.
UPDATE account_push SET next_attempt_at = ?
 WHERE company_id = ? AND state IN ('pending', 'retrying') AND (lease_until IS NULL OR lease_until < ?)
   AND next_attempt_at > ?
