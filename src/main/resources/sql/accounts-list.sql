-- A page of GET /accounts: the accounts (not deleted) of the companies asked about, after the cursor's id, in id
-- order, one row more than the page (to know whether another page follows). A filter given as NULL filters nothing.
-- :q and :qmac are LIKE patterns (escaped with '\') on the login key and lower-cased name, and on the MAC; :online
-- is the box's state at the last pull or fleet refresh. On PostgreSQL this runs with a custom plan
-- (accounts-list-plan): the absent filters fold away, and a search text uses the trigram indexes (V151).
SELECT a.id, a.company_id, a.login, a.password_enc, a.full_name, a.phone, a.account_number, a.tariff_plan_id,
       t.external_id AS tariff, a.status, a.stb_mac, a.comment, a.expires_at, a.customer_ref, a.packages, a.version,
       a.created_at, a.updated_at, p.state AS p_state, p.attempts AS p_attempts,
       p.next_attempt_at AS p_next_attempt_at, p.last_error AS p_last_error,
       p.last_error_kind AS p_last_error_kind, p.dead_letter_id AS p_dead_letter_id,
       p.last_pushed_at AS p_last_pushed_at, p.lease_until AS p_lease_until,
       m.failing_since AS m_failing_since, m.next_probe_at AS m_next_probe_at,
       m.last_failure_kind AS m_last_failure_kind, mc.name AS m_company_name
  FROM account a JOIN account_push p ON p.account_id = a.id
  LEFT JOIN tariff_plan t ON t.id = a.tariff_plan_id
  LEFT JOIN ministra_circuit m ON m.company_id = a.company_id AND m.reachable = FALSE
  LEFT JOIN company mc ON mc.id = m.company_id
 WHERE a.deleted_at IS NULL
   AND a.company_id IN (:companies)
   AND a.id > :after
   AND (CAST(:status AS VARCHAR) IS NULL OR a.status = :status)
   AND (CAST(:tariff AS VARCHAR) IS NULL OR t.external_id = :tariff)
   AND (CAST(:sync AS VARCHAR) IS NULL OR p.state = :sync)
   AND (CAST(:customerRef AS VARCHAR) IS NULL OR a.customer_ref = :customerRef)
   AND (CAST(:q AS VARCHAR) IS NULL OR a.login_key LIKE :q ESCAPE '\' OR LOWER(a.full_name) LIKE :q ESCAPE '\'
        OR a.stb_mac LIKE :qmac ESCAPE '\')
   AND (CAST(:online AS BOOLEAN) IS NULL
        OR EXISTS (SELECT 1 FROM account_remote_state r WHERE r.account_id = a.id AND r.online = :online))
 ORDER BY a.id
 LIMIT :limit
