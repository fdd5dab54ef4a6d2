-- Online, offline and unknown accounts per company and tariff, from the last snapshot read from Ministra.
-- Deleted accounts (tombstones waiting for Ministra's confirmation) are not counted.
SELECT a.company_id AS "companyId",
       p.external_id AS "tariff",
       SUM(CASE WHEN s.online = TRUE THEN 1 ELSE 0 END) AS "online",
       SUM(CASE WHEN s.online = FALSE THEN 1 ELSE 0 END) AS "offline",
       SUM(CASE WHEN s.online IS NULL THEN 1 ELSE 0 END) AS "unknown",
       MIN(s.read_at) AS "oldestReadAt"
FROM account a
LEFT JOIN tariff_plan p ON p.id = a.tariff_plan_id
LEFT JOIN account_remote_state s ON s.account_id = a.id
WHERE a.deleted_at IS NULL
  AND a.company_id IN (:#in:${variable.summaryCompanies})
GROUP BY a.company_id, p.external_id
ORDER BY a.company_id, p.external_id
