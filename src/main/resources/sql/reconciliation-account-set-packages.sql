UPDATE account SET packages = ? WHERE id = ?
