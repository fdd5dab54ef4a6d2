-- Which of these accounts still exist. The ids go in as number literals (RemoteSnapshots.withIds).
SELECT id FROM account WHERE id IN (:ids)
