DELETE FROM account_online_transition WHERE id IN (
    SELECT id FROM account_online_transition WHERE observed_at < ? ORDER BY id LIMIT ?)
