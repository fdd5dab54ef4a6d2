INSERT INTO reconciliation_finding (run_id, company_id, kind, account_id, login, account_number, stb_mac, field, ours,
    theirs, remote, resolution)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported')
