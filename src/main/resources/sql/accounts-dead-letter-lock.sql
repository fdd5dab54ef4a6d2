-- A dead letter an operator replays or discards, locked, if it belongs to one of the companies asked about.
SELECT id, company_id, account_id, login, status FROM dead_letter WHERE id = :id AND company_id IN (:companies)
   FOR UPDATE
