UPDATE account_push
   SET next_attempt_at = ?, failing_since = COALESCE(failing_since, ?), last_error = ?, last_error_kind = ?,
       claim_token = NULL, lease_owner = NULL, lease_until = NULL
 WHERE account_id = ?
