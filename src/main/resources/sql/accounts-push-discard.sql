-- A push given up by an operator (its dead letter discarded): it waits for the account's next change.
UPDATE account_push SET state = 'discarded', dead_letter_id = NULL WHERE account_id = ? AND dead_letter_id = ?
