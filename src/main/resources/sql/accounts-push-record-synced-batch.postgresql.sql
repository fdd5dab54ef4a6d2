-- A batch of pushes recorded in one statement (accounts-push-record-synced, one row at a time, is the other
-- databases'): each account's push reached the version it sent, and is synced, or pending again if it changed meanwhile
UPDATE account_push p
   SET pushed_version = b.version, pushed_password_version = b.password_version, last_pushed_at = ?, attempts = 0,
       failing_since = NULL, last_error = NULL, last_error_kind = NULL, next_attempt_at = ?, claim_token = NULL,
       lease_owner = NULL, lease_until = NULL,
       state = CASE WHEN p.requested_version <= b.version THEN 'synced' ELSE 'pending' END
  FROM unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS b (account_id, version, password_version)
 WHERE p.account_id = b.account_id
