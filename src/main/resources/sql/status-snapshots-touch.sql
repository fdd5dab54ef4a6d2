-- Snapshots that did not change get only their read time. The ids go in as number literals (RemoteSnapshots.withIds).
UPDATE account_remote_state SET read_at = ?, read_by = ? WHERE account_id IN (:ids)
