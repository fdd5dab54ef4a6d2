-- gives a claimed delivery back unsent (its webhook was disabled or deleted meanwhile): any node may claim it again
UPDATE webhook_delivery
   SET claim_token = NULL, lease_owner = NULL, lease_until = NULL
 WHERE id = ? AND claim_token = ?
