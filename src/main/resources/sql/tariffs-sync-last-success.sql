SELECT company_id, MAX(finished_at) FROM tariff_sync_run WHERE outcome = 'succeeded'
GROUP BY company_id
