-- An account's audit trail, oldest first (the subject id is the login key, so it outlives the account).
SELECT occurred_at, actor, action, outcome, details
  FROM audit_event
 WHERE subject = ? AND company_id = ? AND subject_id = ?
 ORDER BY id
