-- Each company's reachability for the gauge (a company without a circuit row is reachable).
SELECT c.id, COALESCE(m.reachable, TRUE) FROM company c LEFT JOIN ministra_circuit m ON m.company_id = c.id
