SELECT company_id, attempts
  FROM account_push
 WHERE account_id = ? AND claim_token = ?
   FOR UPDATE
