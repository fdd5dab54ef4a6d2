UPDATE account SET full_name = ? WHERE id = ?
