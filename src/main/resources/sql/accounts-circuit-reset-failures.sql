-- Ministra answered these companies' pushes: their runs of failures end (only rows with a run are written).
UPDATE ministra_circuit SET consecutive_failures = 0, failing_since = NULL
 WHERE company_id IN (:ids) AND reachable = TRUE AND consecutive_failures > 0
