DELETE FROM push_pause WHERE company_id = ?
