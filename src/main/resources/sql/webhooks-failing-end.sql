-- a success ends the endpoint's failure streak
UPDATE webhook SET failing_since = NULL WHERE id = ?
