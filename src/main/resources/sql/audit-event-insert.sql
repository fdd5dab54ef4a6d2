INSERT INTO audit_event (actor, company_id, subject, subject_id, action,
outcome, details) VALUES (?, ?, ?, ?, ?, ?, ?)
