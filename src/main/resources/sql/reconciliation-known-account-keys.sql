SELECT login_key, LOWER(account_number) AS number_key, stb_mac FROM account
WHERE company_id = :company
  AND (login_key IN (:logins) OR LOWER(account_number) IN (:numbers) OR stb_mac IN (:macs))
