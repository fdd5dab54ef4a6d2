INSERT INTO account_push (account_id, company_id, state, requested_version,
pushed_version, pushed_password_version, attempts, next_attempt_at, last_pushed_at)
SELECT id, company_id, 'synced', version, version, password_version, 0,
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM account WHERE id = ?
