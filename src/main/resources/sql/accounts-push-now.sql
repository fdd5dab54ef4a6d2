-- A push requested by an operator: due now, with a fresh count of attempts and no dead letter.
UPDATE account_push SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_letter_id = NULL
 WHERE account_id = ?
