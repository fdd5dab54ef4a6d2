-- A probe's transient failure: the circuit stays open, the failure is kept for the operators.
UPDATE ministra_circuit SET last_failure = ?, last_failure_kind = ?, last_failure_at = ? WHERE company_id = ?
