INSERT INTO tariff_package (tariff_plan_id, external_id, remote_id, name, type, price,
optional, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
