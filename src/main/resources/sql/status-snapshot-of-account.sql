-- Ministra's snapshot of one account (RemoteSnapshots.snapshotView reads these columns).
SELECT found, online, ip, firmware, stb_type, stb_sn, stb_mac AS bound_mac, last_active, ministra_status, tariff_plan,
       subscriptions, shared_rows, read_at, read_by
  FROM account_remote_state WHERE account_id = ?
