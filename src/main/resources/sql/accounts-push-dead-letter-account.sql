SELECT a.login, p.failing_since
  FROM account a
  JOIN account_push p ON p.account_id = a.id
 WHERE a.id = ?
