-- a stopping node gives back the deliveries it claimed and did not send, so that another node sends them at once
-- rather than after their leases
UPDATE webhook_delivery
   SET claim_token = NULL, lease_owner = NULL, lease_until = NULL
 WHERE state = 'pending' AND lease_owner = ?
