UPDATE webhook SET enabled = FALSE, disabled_reason = ?, disabled_at = ? WHERE id = ? AND enabled = TRUE
