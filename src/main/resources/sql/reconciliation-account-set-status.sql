UPDATE account SET status = ? WHERE id = ?
