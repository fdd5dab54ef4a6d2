-- H2 has no partial indexes; the same order, over every push (see the PostgreSQL variant).
CREATE INDEX account_push_claim_order ON account_push (next_attempt_at, account_id);
