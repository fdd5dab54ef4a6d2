-- A change asks the push to converge to the account's new version: a synced or discarded push becomes pending now;
-- a retrying push keeps its schedule and a dead one stays dead until it is replayed (its next push sends the
-- current state either way).
UPDATE account_push
   SET requested_version = ?,
       attempts = CASE WHEN state IN ('synced', 'discarded') THEN 0 ELSE attempts END,
       next_attempt_at = CASE WHEN state IN ('synced', 'discarded') THEN ? ELSE next_attempt_at END,
       state = CASE WHEN state IN ('synced', 'discarded') THEN 'pending' ELSE state END
 WHERE account_id = ?
