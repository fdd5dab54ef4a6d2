-- a row another node claimed meanwhile no longer matches: the lease decides, not the candidate list
UPDATE webhook_delivery
   SET claim_token = :token, lease_owner = :owner, lease_until = :until
 WHERE id = ANY(:ids) AND state = 'pending' AND (lease_until IS NULL OR lease_until < :now)
