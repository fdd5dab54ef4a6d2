-- The push state of these accounts (no row: the account is gone).
SELECT account_id, state FROM account_push WHERE account_id IN (:ids)
