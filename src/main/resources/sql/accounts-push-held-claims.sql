SELECT account_id, claim_token
  FROM account_push
 WHERE account_id = ANY(:ids)
 ORDER BY account_id
   FOR UPDATE
