-- The logins of a billing customer's accounts (not deleted), their rows locked in id order.
SELECT login FROM account WHERE company_id = ? AND customer_ref = ? AND deleted_at IS NULL ORDER BY id FOR UPDATE
