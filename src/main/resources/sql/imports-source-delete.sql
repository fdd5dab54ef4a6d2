DELETE FROM import_source WHERE job_id = ?
