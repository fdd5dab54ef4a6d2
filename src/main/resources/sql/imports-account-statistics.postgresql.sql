ANALYZE account
