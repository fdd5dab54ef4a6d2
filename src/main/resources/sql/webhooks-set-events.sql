UPDATE webhook SET event_types = ? WHERE id = ?
