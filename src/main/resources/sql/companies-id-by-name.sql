SELECT id FROM company WHERE name = ?
