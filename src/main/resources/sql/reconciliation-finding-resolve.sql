UPDATE reconciliation_finding SET resolution = ?, resolution_detail = ? WHERE id = ?
