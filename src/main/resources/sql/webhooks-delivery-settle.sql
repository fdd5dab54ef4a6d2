-- ends the claim; matches nothing when the claim is no longer ours (its lease ran out and another node took it)
UPDATE webhook_delivery
   SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?,
       next_attempt_at = COALESCE(?, next_attempt_at), finished_at = ?,
       claim_token = NULL, lease_owner = NULL, lease_until = NULL
 WHERE id = ? AND claim_token = ?
