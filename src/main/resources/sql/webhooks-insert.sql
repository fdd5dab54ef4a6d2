INSERT INTO webhook (company_id, url, event_types, description, enabled, secret_enc, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
