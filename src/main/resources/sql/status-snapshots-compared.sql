-- The stored snapshots' compared columns, in RemoteSnapshots.snapshotRow order from found. The ids go in as
-- number literals (RemoteSnapshots.withIds): with one bind parameter per id, PostgreSQL caches a generic plan made
-- while the table was small (a sequential scan) and keeps it while the table grows to the whole fleet.
SELECT account_id, found, online, ip, firmware, stb_type, stb_sn, stb_mac, last_active, ministra_status, tariff_plan,
       login, full_name, phone, subscriptions, shared_rows
FROM account_remote_state
WHERE account_id IN (:ids)
