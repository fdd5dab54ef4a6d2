-- The claimed accounts as a push must make them true in Ministra (a deleted one: its absence), with what Ministra
-- was last confirmed to have; only rows still held by this claim's token.
SELECT a.id, a.company_id, a.login, a.password_enc, a.password_version, a.full_name, a.phone, a.account_number,
       t.external_id AS tariff, a.status, a.stb_mac, a.comment, a.expires_at, a.packages, a.version, a.deleted_at,
       p.pushed_version, p.pushed_password_version, p.attempts
  FROM account a JOIN account_push p ON p.account_id = a.id
  LEFT JOIN tariff_plan t ON t.id = a.tariff_plan_id
 WHERE p.claim_token = :token AND a.id = ANY(:ids)
