-- One more transient failure of the company's pushes in a row: since when it fails, and the last failure.
UPDATE ministra_circuit
   SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, ?), last_failure = ?,
       last_failure_kind = ?, last_failure_at = ?
 WHERE company_id = ?
