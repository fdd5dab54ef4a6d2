-- Several accounts (not deleted) by company and login key, each as sql/accounts-by-login.sql reads one (with its
-- login_key, to tell the rows apart): the reads of GET /accounts/{login} that arrived while another statement was in
-- flight, in one round trip (GroupedAccountReads). Parameters: the company ids and the login keys, pairwise.
SELECT a.login_key, a.id, a.company_id, a.login, a.password_enc, a.full_name, a.phone, a.account_number,
       a.tariff_plan_id, t.external_id AS tariff, a.status, a.stb_mac, a.comment, a.expires_at, a.customer_ref,
       a.packages, a.version, a.created_at, a.updated_at, p.state AS p_state, p.attempts AS p_attempts,
       p.next_attempt_at AS p_next_attempt_at, p.last_error AS p_last_error,
       p.last_error_kind AS p_last_error_kind, p.dead_letter_id AS p_dead_letter_id,
       p.last_pushed_at AS p_last_pushed_at, p.lease_until AS p_lease_until,
       m.failing_since AS m_failing_since, m.next_probe_at AS m_next_probe_at,
       m.last_failure_kind AS m_last_failure_kind, mc.name AS m_company_name,
       r.found, r.online, r.ip, r.firmware, r.stb_type, r.stb_sn, r.stb_mac AS bound_mac, r.last_active,
       r.ministra_status, r.tariff_plan, r.subscriptions, r.shared_rows, r.read_at, r.read_by
  FROM UNNEST(CAST(? AS BIGINT ARRAY), CAST(? AS VARCHAR ARRAY)) AS wanted(company_id, login_key)
  JOIN account a ON a.company_id = wanted.company_id AND a.login_key = wanted.login_key
  JOIN account_push p ON p.account_id = a.id
  LEFT JOIN tariff_plan t ON t.id = a.tariff_plan_id
  LEFT JOIN ministra_circuit m ON m.company_id = a.company_id AND m.reachable = FALSE
  LEFT JOIN company mc ON mc.id = m.company_id
  LEFT JOIN account_remote_state r ON r.account_id = a.id
 WHERE a.deleted_at IS NULL
