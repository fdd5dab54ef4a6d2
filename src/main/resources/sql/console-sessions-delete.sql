DELETE FROM console_session WHERE token_hash = ?
