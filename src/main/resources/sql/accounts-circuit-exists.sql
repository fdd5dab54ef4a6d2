-- Whether the company has its circuit row yet.
SELECT company_id FROM ministra_circuit WHERE company_id = ?
