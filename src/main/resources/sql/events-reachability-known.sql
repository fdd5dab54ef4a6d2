SELECT reachable FROM company_reachability WHERE company_id = ?
