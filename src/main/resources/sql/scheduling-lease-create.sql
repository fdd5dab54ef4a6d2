MERGE INTO status_lease t USING (VALUES (CAST(? AS VARCHAR(100)))) AS s(name)
ON t.name = s.name WHEN NOT MATCHED THEN INSERT (name, holder, expires_at)
VALUES (s.name, NULL, ?)
