-- A new account's push row: 'pending' (due now) to create it in Ministra, or 'draft' to wait for its activation.
INSERT INTO account_push (account_id, company_id, state, requested_version, attempts, next_attempt_at)
VALUES (?, ?, ?, 1, 0, ?)
