UPDATE account_push
   SET state = 'retrying', next_attempt_at = ?, last_error = ?, last_error_kind = ?, claim_token = NULL,
       lease_owner = NULL, lease_until = NULL
 WHERE account_id = ?
