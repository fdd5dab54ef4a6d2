INSERT INTO company_reachability (company_id, reachable, changed_at) VALUES (?, ?, ?)
