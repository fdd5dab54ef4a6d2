INSERT INTO push_pause (company_id, paused_at, paused_until, reason) VALUES (?, ?, ?, ?)
