DELETE FROM dead_letter WHERE id IN (
    SELECT id FROM dead_letter WHERE status IN ('replayed', 'discarded') AND resolved_at < ? ORDER BY id LIMIT ?)
