-- The status a quick provision gives an account whose request names none.
SELECT default_provision_status FROM company WHERE id = ?
