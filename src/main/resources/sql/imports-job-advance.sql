UPDATE import_job SET adopted = adopted + ?, created = created + ?, updated = updated + ?,
    compared = compared + ?, refused = refused + ?, checkpoint = ?, rows_read = GREATEST(rows_read, ?)
WHERE id = ? AND holder = ? AND state = 'running'
