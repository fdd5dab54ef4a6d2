SELECT company_id AS "companyId", outcome,
started_at AS "startedAt", finished_at AS "finishedAt", error_kind AS "errorKind"
FROM tariff_sync_run r WHERE company_id IN (:companies) AND id = (SELECT MAX(id)
FROM tariff_sync_run l WHERE l.company_id = r.company_id) ORDER BY company_id
