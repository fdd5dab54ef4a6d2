-- GET /status/accounts: a page of our accounts with their last known online state, after an id.
SELECT a.id, a.company_id, a.login, a.account_number, a.stb_mac, s.online, s.read_at, s.found
FROM account a
LEFT JOIN account_remote_state s ON s.account_id = a.id
WHERE a.company_id IN (:companies) AND a.id > :after
ORDER BY a.id
LIMIT :limit
