SELECT COUNT(*) FROM dead_letter
WHERE status = 'open' AND company_id IN (:companies)
