UPDATE account_push
   SET pushed_version = ?, pushed_password_version = ?, last_pushed_at = ?, attempts = 0, failing_since = NULL,
       last_error = NULL, last_error_kind = NULL, next_attempt_at = ?, claim_token = NULL, lease_owner = NULL,
       lease_until = NULL,
       state = CASE WHEN requested_version <= ? THEN 'synced' ELSE 'pending' END
 WHERE account_id = ?
