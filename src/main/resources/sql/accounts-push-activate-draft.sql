-- An activated draft goes live: its push becomes due now.
UPDATE account_push SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE account_id = ? AND state = 'draft'
