-- The plan an account's packages are checked against: its external id, and whether it is archived.
SELECT external_id, archived_at FROM tariff_plan WHERE id = ?
