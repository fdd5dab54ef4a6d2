UPDATE company_reachability SET reachable = ?, changed_at = ? WHERE company_id = ? AND reachable <> ?
