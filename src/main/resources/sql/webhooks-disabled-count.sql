SELECT COUNT(*) FROM webhook WHERE enabled = FALSE AND disabled_at IS NOT NULL
