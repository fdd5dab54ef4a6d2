UPDATE import_job SET rows_read = ? WHERE id = ?
