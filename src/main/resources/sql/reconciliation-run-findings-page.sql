-- A page of a run's findings after an id, of one kind or (kind null) of every kind; one row more than the page.
SELECT * FROM reconciliation_finding
WHERE run_id = ? AND id > ? AND (CAST(? AS VARCHAR) IS NULL OR kind = ?)
ORDER BY id
LIMIT ?
