MERGE INTO account_remote_state t USING (VALUES (CAST(? AS BIGINT),
CAST(? AS BIGINT), CAST(? AS BOOLEAN), CAST(? AS BOOLEAN), CAST(? AS VARCHAR(64)),
CAST(? AS VARCHAR(1000)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)),
CAST(? AS VARCHAR(19)), CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR(100)), CAST(? AS VARCHAR(64)),
CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(4000)), CAST(? AS INTEGER),
CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(16))))
AS s(account_id, company_id, found, online, ip, firmware, stb_type, stb_sn, stb_mac, last_active,
ministra_status, tariff_plan, login, full_name, phone, subscriptions, shared_rows, read_at, read_by)
ON t.account_id = s.account_id
WHEN MATCHED THEN UPDATE SET found = s.found, online = s.online, ip = s.ip, firmware = s.firmware,
stb_type = s.stb_type, stb_sn = s.stb_sn, stb_mac = s.stb_mac, last_active = s.last_active,
ministra_status = s.ministra_status, tariff_plan = s.tariff_plan, login = s.login,
full_name = s.full_name, phone = s.phone, subscriptions = s.subscriptions,
shared_rows = s.shared_rows, read_at = s.read_at, read_by = s.read_by
WHEN NOT MATCHED THEN INSERT (account_id, company_id, found, online, ip, firmware, stb_type, stb_sn,
stb_mac, last_active, ministra_status, tariff_plan, login, full_name, phone, subscriptions,
shared_rows, read_at, read_by) VALUES (s.account_id, s.company_id, s.found, s.online, s.ip,
s.firmware, s.stb_type, s.stb_sn, s.stb_mac, s.last_active, s.ministra_status, s.tariff_plan,
s.login, s.full_name, s.phone, s.subscriptions, s.shared_rows, s.read_at, s.read_by)
