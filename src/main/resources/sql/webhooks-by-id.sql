SELECT id, company_id, url, event_types, description, enabled, failing_since, disabled_reason, disabled_at,
       previous_secret_until, created_at, updated_at
  FROM webhook
 WHERE id = ?
