INSERT INTO event_outbox (event_id, type, company_id, subject, occurred_at, data) VALUES (?, ?, ?, ?, ?, ?)
