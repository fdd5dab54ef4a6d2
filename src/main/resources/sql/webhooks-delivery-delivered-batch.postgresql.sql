-- A batch of successful deliveries settled in one statement (webhooks-delivery-delivered, one row at a time, is the
-- other databases'); answers the ids whose claim was still ours: the others' leases ran out and another node took them
UPDATE webhook_delivery d
   SET state = 'delivered', attempts = d.attempts + 1, last_status = b.status, last_error = NULL,
       finished_at = b.finished_at, claim_token = NULL, lease_owner = NULL, lease_until = NULL
  FROM unnest(?::bigint[], ?::varchar[], ?::integer[], ?::timestamptz[]) AS b (id, claim_token, status, finished_at)
 WHERE d.id = b.id AND d.claim_token = b.claim_token
RETURNING d.id
