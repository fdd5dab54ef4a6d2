INSERT INTO api_user_company (user_id, company_id) VALUES (?, ?)
