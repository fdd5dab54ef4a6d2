SELECT enabled FROM company WHERE id = ?
