-- A replayed dead letter's push: due now, with a fresh count of attempts and failures.
UPDATE account_push
   SET state = 'pending', attempts = 0, next_attempt_at = ?, failing_since = NULL, dead_letter_id = NULL
 WHERE account_id = ? AND dead_letter_id = ?
