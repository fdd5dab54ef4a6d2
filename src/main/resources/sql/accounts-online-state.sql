-- The box's online state of these accounts at the last pull or fleet refresh (no row: unknown).
SELECT account_id, online FROM account_remote_state WHERE account_id IN (:ids)
