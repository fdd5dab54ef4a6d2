-- A new account at version 1. Its plan is looked up here by external id among the company's active plans: an
-- unknown plan leaves tariff_plan_id NULL, which the caller refuses before it commits.
INSERT INTO account (company_id, login, login_key, password_enc, password_version, full_name, phone, account_number,
                     account_number_key, tariff_plan_id, status, stb_mac, comment, expires_at, customer_ref, packages,
                     version, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
        (SELECT id FROM tariff_plan WHERE company_id = ? AND external_id = ? AND archived_at IS NULL),
        ?, ?, ?, ?, ?, ?, 1, ?, ?)
