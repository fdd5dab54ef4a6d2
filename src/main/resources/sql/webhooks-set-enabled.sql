-- re-enabling starts afresh: the failures that disabled it no longer count
UPDATE webhook
   SET enabled = :enabled, failing_since = NULL,
       disabled_reason = CASE WHEN :enabled THEN NULL ELSE disabled_reason END,
       disabled_at = CASE WHEN :enabled THEN NULL ELSE disabled_at END
 WHERE id = :id
