INSERT INTO dead_letter (company_id, account_id, login, operation, cause, ministra_error, detail, attempts,
                         first_failed_at, dead_at, payload, status)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')
