UPDATE webhook SET url = ? WHERE id = ?
