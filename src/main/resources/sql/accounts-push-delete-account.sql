DELETE FROM account WHERE id = ? AND version = ?
