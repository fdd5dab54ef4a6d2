-- Locks one account row (not deleted) before a change, so that concurrent writers of one account take turns.
SELECT id FROM account WHERE company_id = ? AND login_key = ? AND deleted_at IS NULL FOR UPDATE
