SELECT id, ministra_base_url, ministra_user,
ministra_password_enc, connect_timeout_ms, read_timeout_ms, enabled FROM company
WHERE id = ?
