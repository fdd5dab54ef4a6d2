SELECT rows_read AS "rowsRead", adopted, created, updated, compared, refused FROM import_job WHERE id = ?
