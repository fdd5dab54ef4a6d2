SELECT policy FROM reconciliation_policy WHERE company_id = ?
