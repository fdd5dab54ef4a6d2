-- A new account at version 1 and its push row, read back with the columns of accounts-by-id, in one statement
-- (accounts-insert, accounts-push-insert and accounts-by-id are the other databases' three): a create is one round
-- trip before its audit entry. Its plan is looked up by external id among the company's active plans: an unknown
-- plan leaves tariff_plan_id NULL, which the caller refuses before it commits.
WITH a AS (
    INSERT INTO account (company_id, login, login_key, password_enc, password_version, full_name, phone,
                         account_number, account_number_key, tariff_plan_id, status, stb_mac, comment, expires_at,
                         customer_ref, packages, version, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
            (SELECT id FROM tariff_plan WHERE company_id = ? AND external_id = ? AND archived_at IS NULL),
            ?, ?, ?, ?, ?, ?, 1, ?, ?)
    RETURNING *),
p AS (
    INSERT INTO account_push (account_id, company_id, state, requested_version, attempts, next_attempt_at)
    SELECT a.id, a.company_id, ?, 1, 0, ? FROM a
    RETURNING *)
SELECT a.id, a.company_id, a.login, a.password_enc, a.full_name, a.phone, a.account_number, a.tariff_plan_id,
       t.external_id AS tariff, a.status, a.stb_mac, a.comment, a.expires_at, a.customer_ref, a.packages, a.version,
       a.created_at, a.updated_at, p.state AS p_state, p.attempts AS p_attempts,
       p.next_attempt_at AS p_next_attempt_at, p.last_error AS p_last_error,
       p.last_error_kind AS p_last_error_kind, p.dead_letter_id AS p_dead_letter_id,
       p.last_pushed_at AS p_last_pushed_at, p.lease_until AS p_lease_until,
       m.failing_since AS m_failing_since, m.next_probe_at AS m_next_probe_at,
       m.last_failure_kind AS m_last_failure_kind, mc.name AS m_company_name
  FROM a JOIN p ON p.account_id = a.id
  LEFT JOIN tariff_plan t ON t.id = a.tariff_plan_id
  LEFT JOIN ministra_circuit m ON m.company_id = a.company_id AND m.reachable = FALSE
  LEFT JOIN company mc ON mc.id = m.company_id
