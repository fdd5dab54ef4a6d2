-- the first failure since the last success starts the endpoint's failure streak
UPDATE webhook SET failing_since = ? WHERE id = ? AND failing_since IS NULL
