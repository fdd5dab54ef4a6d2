SELECT id, company_id FROM webhook WHERE id = :id AND company_id IN (:companies)
