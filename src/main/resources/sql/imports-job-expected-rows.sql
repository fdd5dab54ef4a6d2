UPDATE import_job SET expected_rows = ? WHERE id = ?
