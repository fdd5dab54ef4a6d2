UPDATE account SET phone = ? WHERE id = ?
