SELECT id, company_id, kind, actor, checkpoint FROM import_job WHERE id = ?
