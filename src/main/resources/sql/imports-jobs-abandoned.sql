SELECT id FROM import_job WHERE state = 'running' AND lease_until < ? ORDER BY id
