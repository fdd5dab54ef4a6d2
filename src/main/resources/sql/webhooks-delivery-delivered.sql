UPDATE webhook_delivery
   SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, finished_at = ?,
       claim_token = NULL, lease_owner = NULL, lease_until = NULL
 WHERE id = ? AND claim_token = ?
