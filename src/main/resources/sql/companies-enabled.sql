SELECT id FROM company WHERE enabled = TRUE ORDER BY id
