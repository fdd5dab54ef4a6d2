INSERT INTO account_online_transition (account_id, company_id, observed_at,
from_state, to_state, source) VALUES (?, ?, ?, ?, ?, ?)
