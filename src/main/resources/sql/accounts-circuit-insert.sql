-- A company's circuit row, closed (Ministra reachable) with no failures.
INSERT INTO ministra_circuit (company_id, reachable, consecutive_failures) VALUES (?, TRUE, 0)
