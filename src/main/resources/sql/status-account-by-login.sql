-- GET /status/accounts/{login}: our account by login key with Ministra's snapshot of it, in one round trip (the
-- snapshot's columns as RemoteSnapshots.snapshotView reads them; read_at NULL when it was never read).
SELECT a.id, a.company_id, a.login, a.account_number, a.status, a.stb_mac,
       r.found, r.online, r.ip, r.firmware, r.stb_type, r.stb_sn, r.stb_mac AS bound_mac, r.last_active,
       r.ministra_status, r.tariff_plan, r.subscriptions, r.shared_rows, r.read_at, r.read_by
  FROM account a LEFT JOIN account_remote_state r ON r.account_id = a.id
 WHERE a.company_id = ? AND a.login_key = ?
