SELECT company_id, kind, state, rows_read, expected_rows, adopted, created, updated, compared, refused,
       failure, started_at, finished_at
FROM import_job WHERE id = ?
