SELECT COUNT(*) FROM dead_letter WHERE status = 'open'
